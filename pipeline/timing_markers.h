#pragma once
// Cut points read from files: Audacity label tracks (.txt), the cue points and labels of
// a WAV file (.wav), a CSV of `panel,time` (.csv) or a YAML mapping panel: time (.yaml).

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/frame_rate.h"

namespace storyreel {

/// One cut point: the label names a panel ("p003", "sh010/p003" or
/// "sq010/sh010/p003"); `seconds` is in the marker file's own time.
struct TimingMarker {
    std::string label;
    double seconds = 0;
    double end_seconds = 0;  ///< Audacity region labels; = seconds for point markers
    SourceLocation where;
};

/// Reads the markers of `file`, choosing the format by extension. Times may be seconds
/// ("4.25") or, in CSV and YAML, a timecode at `rate` ("00:00:04:06"). Problems go to
/// `diagnostics` about `subject`.
std::vector<TimingMarker> read_markers(const std::filesystem::path& file, FrameRate rate,
                                       const std::string& subject, Diagnostics& diagnostics);

/// Writes markers as an Audacity label track (start\tend\tlabel, 6 decimals).
std::string audacity_labels_text(const std::vector<TimingMarker>& markers);

}  // namespace storyreel
