#pragma once
// A timing sheet: how long each panel of an image-sequence folder holds, as a CSV
// ("panel,hold" rows) or a YAML mapping (panel: hold). A hold is whole frames or a
// timecode duration HH:MM:SS:FF; a panel is "sq010/sh020/p003" or a file name the folder's
// pattern reads ("sq010_sh020_p003_v002.png").

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/frame_rate.h"

namespace storyreel::sources {

struct TimingEntry {
    std::string panel;  ///< "sq010/sh020/p003"
    std::int64_t frames = 0;
    SourceLocation where;
};

/// Turns a name in the sheet into a panel path; nullopt when it names nothing readable.
using PanelNameReader = std::function<std::optional<std::string>(const std::string&)>;

/// Reads every row, reporting malformed ones (file:line) and panels listed twice.
std::vector<TimingEntry> read_timing_sheet(const std::filesystem::path& file, FrameRate rate,
                                           const PanelNameReader& panel_of,
                                           Diagnostics& diagnostics);

}  // namespace storyreel::sources
