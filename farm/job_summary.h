#pragma once
// What the tasks of a job said, read back from their logs in SPOOL/logs/: how each one
// ended (its last outcome event), for `farm submit --wait`, `farm status` and failures.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace storyreel::farm {

struct TaskOutcome {
    std::string task;   ///< "shard-2", "assemble"
    std::string event;  ///< task-done, task-retry, task-failed; empty: never ended
    int exit_code = 0;
    std::string message;  ///< for failures: what the local build would have printed
    std::string summary;  ///< for task-done: "3 encoded, 1 reused, 2.1 s"
    int attempts = 0;     ///< task-start events seen (retries add one each)
};

/// One outcome per log file, sorted by task name (shards in index order, then assemble).
std::vector<TaskOutcome> read_task_outcomes(const std::filesystem::path& spool);

/// The first task that failed for good, if any.
const TaskOutcome* first_failure(const std::vector<TaskOutcome>& outcomes);

/// "shard-1  done  (3 encoded, 0 reused, 1.2 s)" lines.
void print_outcomes(const std::vector<TaskOutcome>& outcomes, std::ostream& out);

}  // namespace storyreel::farm
