#pragma once
// Asking Slurm about jobs with its own clients (scontrol, sbatch, scancel); SLURM_CONF
// from the environment chooses the cluster.

#include <optional>
#include <string>
#include <vector>

namespace storyreel::farm {

/// One job or array task as `scontrol show job -o` reports it.
struct SlurmJobState {
    std::string id;         ///< "1234" or "1234_3"
    std::string state;      ///< PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...
    std::string exit_code;  ///< "0:0"
    std::string reason;
    int restarts = 0;
};

/// Every job record for `job_id` (an array gives one per task); empty when Slurm no
/// longer knows it. Throws std::runtime_error when scontrol fails otherwise.
std::vector<SlurmJobState> query_slurm_job(const std::string& job_id);

/// True for states a job never leaves.
bool is_final_state(const std::string& state);

/// Submits a batch script with extra sbatch arguments; returns the job id. Throws
/// std::runtime_error with sbatch's message.
std::string sbatch(const std::string& script, const std::vector<std::string>& extra_args = {});

/// The cluster's RequeueExit setting ("75", "75,76", or empty).
std::string cluster_requeue_exit();

}  // namespace storyreel::farm
