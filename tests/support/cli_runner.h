#pragma once
// Runs the built storyreel command the way a user or the farm does, for end-to-end tests.

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace storyreel::testing {

/// What one run of the command did.
struct CliResult {
    int exit_code = -1;  ///< the exit status; 128 + signal number when killed by a signal
    std::string out;     ///< everything written to stdout
    std::string err;     ///< everything written to stderr
};

/// Runs STORYREEL_BINARY with `args` (no shell, so nothing is re-quoted or expanded), in
/// `cwd` when given, with stdin from /dev/null. Both output streams are read as they come,
/// so a chatty command cannot block on a full pipe. A run longer than 120 s is killed
/// (exit_code 128 + SIGKILL) so a hung build fails its test instead of the whole suite.
/// Throws std::system_error when the command cannot be started.
/// `started`, when given, is called with the child's pid as soon as it runs (from the
/// calling thread, before its output is read): a test can start a thread that signals it.
CliResult run_storyreel(const std::vector<std::string>& args, const std::filesystem::path& cwd = {},
                        const std::function<void(pid_t)>& started = {});

/// The same for any program: `command[0]` is looked up in PATH unless it has a slash.
CliResult run_program(const std::vector<std::string>& command,
                      const std::filesystem::path& cwd = {},
                      const std::function<void(pid_t)>& started = {});

/// "exit 2\n--- stdout ---\n...\n--- stderr ---\n...": for assertion messages.
std::string describe(const CliResult& result);

/// Every entry below `dir` (files, folders and links, hidden ones too), as paths relative
/// to `dir`, sorted. Empty when `dir` does not exist.
std::vector<std::filesystem::path> list_files_recursive(const std::filesystem::path& dir);

}  // namespace storyreel::testing
