#pragma once
// The slate's segment for one movie: the card encoded once and held for the slate's
// frames, cached by content like shot segments (its key: the card's lines and style and
// the output's settings), and where the movie then starts.

#include <filesystem>
#include <string>
#include <vector>

#include "media/encode_settings.h"
#include "pipeline/artifact_cache.h"
#include "stages/slate_stage.h"

namespace storyreel {

/// The slate of one movie: its card's lines and the key of its cached segment.
struct SlateSegment {
    std::int64_t frames = 0;
    std::vector<SlateLine> lines;
    std::string key;  ///< of the segment; enters the movie's assembly key
};

/// The slate of `unit` for an output whose shot keys start with `settings_text`.
SlateSegment describe_slate_segment(const SlateSpec& slate, const Project& project,
                                    const CutPlan& plan, const OutputUnit& unit,
                                    const std::string& settings_text);

/// The segment file of `segment`, from the cache or encoded now (the card held for the
/// slate's frames, like a panel). `label` names it in messages.
std::filesystem::path slate_segment_file(const SlateSegment& segment, const SlateSpec& slate,
                                         const ShowSettings& show, const EncodeSettings& settings,
                                         ArtifactCache& cache, const std::string& label);

/// Record timecode of the movie's first frame when `preroll` frames come before the
/// cut's first frame (the slate stage refuses slates that would start before midnight).
Timecode timecode_before(const Timecode& start, std::int64_t preroll);

}  // namespace storyreel
