#pragma once
// A pipeline file: named stages, their types, params and what they need.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/diagnostics.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

/// Current version of the pipeline file format (`pipeline:` key).
inline constexpr int kPipelineFormatVersion = 1;

struct StageSpec {
    std::string name;
    std::string type;
    YAML::Node params;
    std::vector<std::string> needs;
    SourceLocation where;
};

struct PipelineSpec {
    std::filesystem::path file;
    std::string name;
    int frames_in_flight = 4;  ///< decoded panels held in memory at once
    OutputGrouping grouping = OutputGrouping::PerSequence;
    /// `settings.publish`: publish root every build of this pipeline publishes to (absolute;
    /// relative paths are taken from the pipeline file's folder); empty: do not publish.
    std::filesystem::path publish_root;
    std::vector<StageSpec> stages;  ///< in dependency order (every need before its user)
    ChecksBlock checks;  ///< `checks:`: the production checks' settings (checks/ reads them)

    const StageSpec* find(const std::string& stage_name) const;
};

/// Reads and checks a pipeline file: syntax, unknown keys, unknown stage types, missing
/// or cyclic `needs`, and whether connected stages agree on what they pass.
std::optional<PipelineSpec> load_pipeline(const std::filesystem::path& file,
                                          const StageRegistry& registry, Diagnostics& diagnostics);

/// Creates every stage once without an environment so each validates its params.
void validate_stage_params(const PipelineSpec& pipeline, const StageRegistry& registry,
                           const Project& project, Diagnostics& diagnostics);

/// Runs each stage type's `check_plan` (those that have one) against the planned cut, so
/// what depends on the cut (a list's event count, a unit's length) is known at validation.
void check_stage_plans(const PipelineSpec& pipeline, const StageRegistry& registry,
                       const Project& project, const CutPlan& plan, Diagnostics& diagnostics);

}  // namespace storyreel
