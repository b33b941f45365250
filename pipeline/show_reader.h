#pragma once
// The `show:` block of a project file: name, frame rate, resolution, start timecode,
// drop frame and background colour, validated key by key into Diagnostics.

#include <set>
#include <string>

#include "pipeline/diagnostics.h"
#include "pipeline/project.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

/// What the block said, beyond the settings: a project source (a Storyboarder scene) fills
/// in the keys the file left out, and the start timecode is read again at the source's rate.
struct ShowBlock {
    std::set<std::string> keys;  ///< keys the `show:` block set
    std::string start_timecode_text = "01:00:00:00";
};

/// Reads `root`'s `show:` block (a problem when it is missing) into `settings` and `block`.
void read_show_block(YamlFields& root, const std::string& file, ShowSettings& settings,
                     ShowBlock& block, Diagnostics& diagnostics);

}  // namespace storyreel
