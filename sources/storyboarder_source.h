#pragma once
// Storyboarder scenes and multi-scene projects as a storyreel Project: one sequence per
// scene, a shot per `newShot`, one panel per board with its exact hold, text, audio and
// flattened layers.

#include <filesystem>

#include "pipeline/project_source.h"

namespace storyreel::sources {

/// A .storyboarder file, or a folder holding exactly one.
bool is_storyboarder_scene(const std::filesystem::path& path);

/// Reads a scene (is_storyboarder_scene) or a project (is_storyboarder_project) into
/// `project`; problems go to `diagnostics`.
void read_storyboarder(const SourceRequest& request, Project& project, Diagnostics& diagnostics);

}  // namespace storyreel::sources
