#pragma once
// Starting the scheduler's commands (sbatch, scontrol, ...) and local tasks: no shell,
// arguments passed as they are.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::farm {

struct ProcessOutput {
    int exit_code = -1;  ///< 128 + signal when killed; 127 when it could not start
    std::string out, err;
};

/// Runs `args` (found on PATH) to completion and captures both streams.
ProcessOutput run_process(const std::vector<std::string>& args);

/// Starts `args` with stdout and stderr appended to `log`; returns its pid. Throws
/// std::system_error when it cannot start.
pid_t start_logged_process(const std::vector<std::string>& args, const std::filesystem::path& log);

/// Waits for any started child; returns its pid and sets `exit_code` (128 + signal when
/// killed). Returns -1 when there is none.
pid_t wait_any_child(int& exit_code);

/// "sbatch: error: ..." -> the first line of `text` that is not empty, trimmed.
std::string first_line(const std::string& text);

}  // namespace storyreel::farm
