#pragma once
// The Slurm engine: a job array for the shards and an assemble job that depends on the
// explicit array tasks (afterok:J_1:J_2:...; a dependency on the whole array never
// recovers once a task failed, even after a successful requeue). Tasks that exit 75 are
// requeued by Slurm when the cluster sets RequeueExit=75 (checked and warned about at
// submission). Scripts and logs are written under the job's spool folder.

#include <nlohmann/json.hpp>
#include <ostream>

#include "farm/farm_job.h"

namespace storyreel::farm {

/// Writes SPOOL/shards.sbatch and SPOOL/assemble.sbatch, submits both and records the
/// Slurm job ids in SPOOL/job.json. With job.options.wait, waits for the assemble job
/// and returns its outcome (0 done; the failed shard's exit code and message otherwise).
int submit_slurm_job(FarmJob& job, std::ostream& out);

/// Prints the state of every task of a submitted job; returns 0 (1 when Slurm cannot be
/// asked).
int slurm_job_status(const nlohmann::json& record, const std::filesystem::path& spool,
                     std::ostream& out);

/// Cancels every task of the job still pending or running and waits (up to a minute)
/// until none is running.
int cancel_slurm_job(const nlohmann::json& record, std::ostream& out);

}  // namespace storyreel::farm
