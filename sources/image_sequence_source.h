#pragma once
// An artist's folder of board images whose names say sequence, shot, panel and version
// ("sq010_sh020_p003_v002.png"), as a storyreel Project: the highest version of each
// panel, in natural name order, held for a default time or what a timing sheet says.

#include <filesystem>

#include "pipeline/project_source.h"

namespace storyreel::sources {

/// A folder holding at least one image file (and no Storyboarder scene).
bool is_image_sequence_folder(const std::filesystem::path& path);

/// Reads the folder named by `request` into `project`. Options of the `source:` block:
/// pattern, hold_frames, hold_seconds, timing. Without a block, a timing.csv/.yaml/.yml
/// in the folder is used when present.
void read_image_sequence(const SourceRequest& request, Project& project, Diagnostics& diagnostics);

}  // namespace storyreel::sources
