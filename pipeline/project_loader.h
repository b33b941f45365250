#pragma once
// Reads a project YAML file into a validated Project, reporting every problem at once.

#include <filesystem>
#include <optional>

#include "pipeline/diagnostics.h"
#include "pipeline/project.h"
#include "pipeline/project_source.h"

namespace storyreel {

/// `path` may be a project YAML file or a folder holding `project.yaml`.
/// (load_project also accepts what `options.sources` recognises: a Storyboarder scene,
/// an image-sequence folder...)
std::filesystem::path resolve_project_file(const std::filesystem::path& path);

/// Loads and validates a project. Problems (syntax, unknown keys, bad frame rates,
/// missing board or audio files, zero durations, unsafe names) are added to
/// `diagnostics`; the result is only meaningful when no diagnostic was added.
std::optional<Project> load_project(const std::filesystem::path& path, Diagnostics& diagnostics,
                                    const ProjectLoadOptions& options = {});

/// Loads a project or throws ValidationError with every problem found.
Project load_project_or_throw(const std::filesystem::path& path,
                              const ProjectLoadOptions& options = {});

/// True when `name` is safe to use as (part of) a file name: letters, digits, '_', '-',
/// '.', not starting with '.', at most 64 characters.
bool is_safe_name(const std::string& name);

}  // namespace storyreel
