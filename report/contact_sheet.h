#pragma once
// The review page's contact sheet: every panel as a card (thumbnail, name, record timecode,
// hold in frames and seconds, timing source, dialogue / action / notes, camera move and
// transition), in cut order, grouped by shot. Cards are `#card-N` in cut order; each
// carries its first frame and length for the page's script.

#include <nlohmann/json.hpp>
#include <string>

#include "report/review_data.h"

namespace storyreel::report {

/// The contact sheet's HTML; `findings` (this unit's) put a badge on the cards they concern.
std::string contact_sheet_html(const ReviewUnit& unit, const nlohmann::json& findings);

/// "2.50 s" for `frames` at `num`/`den` frames per second.
std::string seconds_text(std::int64_t frames, int num, int den);

}  // namespace storyreel::report
