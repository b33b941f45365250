#pragma once
// A cut coming back from editorial: the events of an EDL or an OTIO timeline, each naming
// a panel and giving its place on the record timeline.
//
// Readers report every problem into Diagnostics with the file and line of the event, and
// return nullopt when the file cannot be used at all.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/frame_rate.h"

namespace storyreel {

/// One picture event of the cut.
struct CutEvent {
    /// Names the event gives its panel, best first: the clip name, then fall-backs (the
    /// reel, a storyreel panel path in metadata, the media file name).
    std::vector<std::string> names;
    std::int64_t record_in = 0;   ///< first frame on the record timeline (timecode frames)
    std::int64_t record_out = 0;  ///< one past the last frame
    std::string label;            ///< "event 003" / "clip 3 'name'" for messages
    SourceLocation where;         ///< the event's line in the cut file

    std::int64_t frames() const { return record_out - record_in; }
};

struct EditorialCut {
    std::filesystem::path file;
    std::vector<CutEvent> events;  ///< picture events in record order, no zero-length ones
};

/// Reads a CMX3600 EDL; timecodes are read at `rate` (drop-frame when FCM says so).
/// Picture events (V, B) are kept; audio-only events are skipped.
std::optional<EditorialCut> read_cmx3600_edl(const std::filesystem::path& file, FrameRate rate,
                                             Diagnostics& diagnostics);

/// Reads an OpenTimelineIO .otio file: the first video track of its timeline (gaps
/// advance the record; transitions take no time). Times are converted to `rate`.
std::optional<EditorialCut> read_otio(const std::filesystem::path& file, FrameRate rate,
                                      Diagnostics& diagnostics);

/// Reads a cut by its extension: ".edl" or ".otio".
std::optional<EditorialCut> read_editorial_cut(const std::filesystem::path& file, FrameRate rate,
                                               Diagnostics& diagnostics);

}  // namespace storyreel
