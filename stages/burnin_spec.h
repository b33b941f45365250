#pragma once
// What a burn-ins stage draws: up to six text slots (top/bottom x left/centre/right) made
// of fields and free text, and their style (pipeline YAML params).

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

enum class SlotRow { Top, Bottom };
enum class SlotColumn { Left, Centre, Right };

/// A piece of a slot's text: literal text, or a field such as {shot} or {timecode}.
struct TextPart {
    bool is_field = false;
    std::string text;  ///< the literal, or the field name
};

struct BurnInSlot {
    SlotRow row = SlotRow::Top;
    SlotColumn column = SlotColumn::Left;
    std::string name;  ///< "top_left", ...
    std::string text;  ///< the template as written
    std::vector<TextPart> parts;
    bool per_frame = false;  ///< uses a field that changes every frame
};

struct BurnInStyle {
    std::string font;      ///< a font file path
    double size = 0.035;   ///< text height as a fraction of the frame height
    double margin = 0.02;  ///< distance from the frame edges, fraction of the height
    std::array<float, 3> text_colour{1.f, 1.f, 1.f};
    std::array<float, 3> box_colour{0.f, 0.f, 0.f};
    float box_opacity = 0.6f;  ///< 0 draws no box
};

/// The values of fields that are not the panel's own (stage params, build date).
struct BurnInValues {
    std::string date;  ///< YYYY-MM-DD; the build day unless set
    std::string artist;
    std::string version;           ///< empty: the board file name's v### token
    std::int64_t first_frame = 1;  ///< number of the first frame in frame counters
};

struct BurnInSpec {
    std::vector<BurnInSlot> slots;
    BurnInStyle style;
    BurnInValues values;

    bool per_frame() const;
};

/// Parses a burn-ins stage's params; problems (unknown slot, unknown field, bad colour)
/// go to `diagnostics` with their line.
std::optional<BurnInSpec> parse_burnin_spec(const StageParams& params, Diagnostics& diagnostics);

class YamlFields;

/// Reads `font` (a DejaVu name or a .ttf path; default DejaVuSans) and checks the file exists.
std::string read_font(YamlFields& fields);
/// Reads a colour key (`[r, g, b]` 0..1, `#rrggbb`, or a name) into `colour` when present.
void read_colour(YamlFields& fields, const char* key, std::array<float, 3>& colour);
/// The build day, YYYY-MM-DD (local time).
std::string today();
/// The `v###` token of a board file name ("sq010_sh020_p003_v002.png" -> "v002"), or "".
std::string board_version(const std::filesystem::path& board);

/// Every field name a slot may use.
const std::vector<std::string>& burnin_field_names();

/// Where a panel sits, for the fields that depend on it.
struct PanelPlace {
    const PanelSlot* slot = nullptr;
    std::int64_t shot_offset = 0;  ///< frames of the shot before this panel
    Timecode record_start;         ///< record timecode of the panel's first frame
};

PanelPlace place_of(const PanelSlot& slot, const CutPlan& plan);

/// A slot's text for frame `frame` of the panel (per-frame fields use it; others do not).
std::string expand_slot(const BurnInSlot& slot, const BurnInValues& values,
                        const ShowSettings& show, const PanelPlace& place, std::int64_t frame);

}  // namespace storyreel
