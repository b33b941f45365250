#pragma once
// publish: a pipeline stage that publishes the build for editorial (publish/publisher.h)
// once every output stage has finished and the build has succeeded. It takes no panels:
// its `needs` name the output stages whose files it publishes (default: every one), and
// `root` the publish root (relative to the pipeline file). `build --publish ROOT` overrides
// the root. Validated with the rest of the pipeline; the publishing itself runs after the
// build (cli/publish_commands), because a version may only hold finished files.

#include <filesystem>
#include <optional>
#include <set>
#include <string>

#include "pipeline/pipeline_spec.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

struct PublishStageSettings {
    std::string stage_name;
    std::filesystem::path root;     ///< absolute; empty: the command line must give one
    std::set<std::string> outputs;  ///< output stages whose files it publishes (empty: all)
    SourceLocation where;           ///< the stage in the pipeline file
};

StageType publish_stage_type();

/// The pipeline's publish stage, read from its (validated) params; nullopt when it has none.
std::optional<PublishStageSettings> publish_stage_of(const PipelineSpec& pipeline);

/// Problems with publishing to `root` from a build into `output_dir` (the folder itself,
/// inside it, or holding it): folders a publish would mix with build outputs.
std::string publish_root_conflict(const std::filesystem::path& root,
                                  const std::filesystem::path& output_dir);

}  // namespace storyreel
