#pragma once
// The embedded default engine: runs a job's tasks on this machine, as the same command
// lines a farm would run. Shards run side by side (the cores shared among them); a task
// that exits 75 runs again, up to max_retries times; the assemble task runs once every
// shard succeeded.

#include <ostream>

#include "farm/farm_job.h"

namespace storyreel::farm {

/// Runs the job to completion; returns 0, or the exit code of the first task that
/// failed for good (its message is printed to `out`).
int run_local_job(const FarmJob& job, std::ostream& out);

}  // namespace storyreel::farm
