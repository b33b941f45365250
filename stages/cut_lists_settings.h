#pragma once
// What a cut_lists stage is asked to write, read from its params.

#include <optional>
#include <string>
#include <vector>

#include "media/encode_settings.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

enum class CutListFormat { Edl, Otio, Xmeml, Fcpxml };

/// "edl", "otio", "xmeml", "fcpxml".
std::string format_name(CutListFormat format);

/// What a unit's EDL does past CMX3600's 999 events (`edl:` param).
enum class EdlLimit {
    Split,  ///< "split" (default): several EDLs, <name>_01.edl, <name>_02.edl ... each ≤ 999 events
    Single,  ///< "single": one EDL per unit; validation refuses a unit over 999 events
};

struct CutListSettings {
    std::vector<CutListFormat> formats;   ///< in the order given, no duplicates
    std::string movie_stage;              ///< the encode stage whose movie the lists describe
    EncodeSettings movie;                 ///< that stage's settings (file name, reel)
    bool movie_has_audio = false;         ///< that stage takes the temp audio
    std::int64_t movie_slate_frames = 0;  ///< that stage's movie starts with a slate this long
    std::string filename = "{unit}";      ///< without extension; {unit} {show} {stage}
    EdlLimit edl = EdlLimit::Split;       ///< `edl: off` removes edl from `formats` instead
    SourceLocation where;                 ///< the stage's params (for messages at validation)

    /// The base file name (no extension) for a unit.
    std::string base_name(const std::string& unit, const std::string& stage,
                          const std::string& show) const;
};

/// Reads and validates a cut_lists stage's params (they may be absent); nullopt (with
/// diagnostics) when invalid.
std::optional<CutListSettings> parse_cut_list_settings(const StageParams& params,
                                                       Diagnostics& diagnostics);

}  // namespace storyreel
