#pragma once
// Runs one farm task: a shard (fills the shared cache with its shots) or the assemble
// task (the ordinary build, which then finds every shot in the cache), with structured
// logs, farm exit codes and a human summary.

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "farm/task_log.h"
#include "pipeline/build.h"
#include "pipeline/stage_registry.h"

namespace storyreel::farm {

struct TaskSpec {
    std::string name;                        ///< "shard-3", "assemble"; shown in every log line
    std::optional<std::size_t> shard_index;  ///< 1-based; with shard_count: a shard task
    std::size_t shard_count = 0;
    LogFormat log_format = LogFormat::Text;
    /// Run after a successful assemble (not shard) build, e.g. publishing; its non-zero
    /// return fails the task with that exit code.
    std::function<int(const BuildResult&)> after_build;
};

/// The request a shard task builds: the shots of shard `index` of `count`, cache only.
/// nullopt when the project has fewer shots than `index` (nothing to do). Throws
/// ValidationError like run_build.
std::optional<BuildRequest> shard_request(const BuildRequest& whole, std::size_t index,
                                          std::size_t count, const StageRegistry& registry);

/// Runs the task; returns its exit code (0, 1 bad input found during work, 2 invalid
/// configuration, 75 transient: run again). Logs go to `log_stream` (JSON lines or the
/// usual text), the summary to `summary`.
int run_build_task(const BuildRequest& whole, const TaskSpec& task, const StageRegistry& registry,
                   std::ostream& log_stream, std::ostream& summary);

}  // namespace storyreel::farm
