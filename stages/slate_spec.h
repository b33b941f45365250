#pragma once
// What a slate stage shows: the card's length, which fields it lists (show, sequence,
// version, date, duration, start, notes) and its style, read from the pipeline YAML.
//
// The slate is pre-roll: it plays before the cut's first frame, whose record timecode
// does not move (see slate_stage.h).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

struct SlateSpec {
    std::int64_t frames = 0;          ///< length of the card, in frames of the show
    std::vector<std::string> fields;  ///< the lines, in order
    std::string version;              ///< empty: the newest v### among the unit's boards
    std::string date;                 ///< YYYY-MM-DD; the build day unless set
    bool date_given = false;          ///< `date` was set (else it changes every day)
    std::string notes;
    std::string font;     ///< a font file path
    double size = 0.045;  ///< text height as a fraction of the frame height
    std::array<float, 3> text_colour{1.f, 1.f, 1.f};
    std::array<float, 3> background{0.1f, 0.1f, 0.1f};

    /// Everything that changes the card but the defaulted date (for build.json and the
    /// publish fingerprint, so a rebuild the next day is not a new cut).
    std::string fingerprint() const;
};

/// Every field a slate may list.
const std::vector<std::string>& slate_field_names();

/// Parses a slate stage's params; problems (unknown key or field, bad length, a slate
/// that would start before 00:00:00:00) go to `diagnostics` with their line.
std::optional<SlateSpec> parse_slate_spec(const StageParams& params, Diagnostics& diagnostics);

/// One line of the card.
struct SlateLine {
    std::string label;  ///< "SEQUENCE"
    std::string value;  ///< "sq010"
};

/// The card's lines for one movie. Lines whose value is empty (no version token, no notes)
/// are left out.
std::vector<SlateLine> slate_lines(const SlateSpec& spec, const Project& project,
                                   const CutPlan& plan, const OutputUnit& unit);

}  // namespace storyreel
