#pragma once
// The review page's timeline strip: the unit's shots and panels drawn to scale in time, the
// mix's waveform under them with every panel boundary, and the findings marked where they
// fall. An inline SVG; each panel is a link to its card (`#card-N`), which the page's
// script scrolls into view.

#include <nlohmann/json.hpp>
#include <string>

#include "report/review_data.h"

namespace storyreel::report {

/// Width of the strip in SVG units (it scales to the page width).
inline constexpr int kTimelineWidth = 1600;

/// The `<svg>` element for `unit` with `findings` (build.json's, of this unit) marked.
std::string timeline_svg(const ReviewUnit& unit, const nlohmann::json& findings);

}  // namespace storyreel::report
