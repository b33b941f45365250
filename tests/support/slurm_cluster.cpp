#include "tests/support/slurm_cluster.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel::testing {

namespace fs = std::filesystem;

namespace {

fs::path cluster_script() {
    return fs::path(STORYREEL_SOURCE_DIR) / "scripts" / "slurm-cluster.sh";
}

}  // namespace

std::string run_shell(const std::string& command, int* exit_code) {
    std::string output;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = ::pclose(pipe);
    if (exit_code) *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return output;
}

std::string SlurmCluster::missing_requirement() {
    for (const char* program : {"/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged",
                                "/usr/sbin/mungekey", "/usr/bin/sbatch", "/usr/bin/scontrol"})
        if (!fs::exists(program))
            return std::string(program) +
                   " is not installed (scripts/setup.sh installs slurmctld, slurmd, "
                   "slurm-client and munge)";
    return {};
}

SlurmCluster::SlurmCluster() {
    int code = 0;
    const std::string output = run_shell(
        "'" + cluster_script().string() + "' start '" + dir_.path().string() + "'", &code);
    if (code != 0) throw std::runtime_error("slurm-cluster.sh start failed:\n" + output);
    ::setenv("SLURM_CONF", (dir_.path() / "slurm.conf").c_str(), 1);
}

SlurmCluster::~SlurmCluster() {
    run_shell("'" + cluster_script().string() + "' stop '" + dir_.path().string() + "'");
    ::unsetenv("SLURM_CONF");
}

}  // namespace storyreel::testing
