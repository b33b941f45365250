#pragma once
// Reads a sequence's `timing:` block (see configs/README.md) into a SequenceTiming.

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "pipeline/diagnostics.h"
#include "pipeline/timing_spec.h"

namespace storyreel {

/// Reads `node` (undefined or null: explicit timing). Paths are resolved against
/// `project_dir` and must exist. Problems go to `diagnostics`, naming `subject`.
SequenceTiming read_sequence_timing(const YAML::Node& node, const std::string& file,
                                    const std::string& subject,
                                    const std::filesystem::path& project_dir,
                                    Diagnostics& diagnostics);

}  // namespace storyreel
