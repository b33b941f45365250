#pragma once
// A real single-node Slurm cluster for the farm tests, started with the project's own
// scripts/slurm-cluster.sh in a private folder and stopped by its own PIDs.

#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/temp_dir.h"

namespace storyreel::testing {

class SlurmCluster {
  public:
    /// Why a cluster cannot run here (a missing binary), or empty when it can.
    static std::string missing_requirement();

    /// Starts the cluster and points SLURM_CONF at it. Throws std::runtime_error with the
    /// script's output when it does not come up.
    SlurmCluster();
    /// Cancels its jobs and stops its daemons.
    ~SlurmCluster();
    SlurmCluster(const SlurmCluster&) = delete;
    SlurmCluster& operator=(const SlurmCluster&) = delete;

    const std::filesystem::path& folder() const { return dir_.path(); }

  private:
    TempDir dir_;
};

/// Runs a shell command line, returns its stdout and stderr together.
std::string run_shell(const std::string& command, int* exit_code = nullptr);

}  // namespace storyreel::testing
