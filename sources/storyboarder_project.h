#pragma once
// A Storyboarder multi-scene project: a screenplay (.fountain or .fdx) next to a
// storyboards/ folder holding storyboard.settings and one folder per boarded scene.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel::sources {

struct StoryboarderProject {
    std::filesystem::path script;    ///< the screenplay; empty when ordered by folder names
    std::filesystem::path settings;  ///< storyboards/storyboard.settings
    std::optional<double> aspect_ratio;
    std::vector<std::filesystem::path> scenes;  ///< .storyboarder files, in script order
    /// Per scene, the script scene it boards: a Fountain scene id ("1-ZX3ZM"), an FDX
    /// heading's number ("3"); empty when ordered by folder names.
    std::vector<std::string> scene_refs;
};

/// True for a .fountain/.fdx file, or a folder holding storyboards/storyboard.settings.
bool is_storyboarder_project(const std::filesystem::path& path);

/// Finds the boarded scenes in script order. Scenes of the script without boards are
/// skipped (logged); a script that cannot be read, or boards missing for a scene the
/// script names, are reported.
std::optional<StoryboarderProject> read_storyboarder_project(const std::filesystem::path& path,
                                                             Diagnostics& diagnostics);

}  // namespace storyreel::sources
