#pragma once
// The storyreel command started in the background, for tests that kill it (SIGKILL) at a
// chosen moment: when it stops itself at a test stop point (SIGSTOP), or after a delay.

#include <sys/types.h>

#include <string>
#include <vector>

namespace storyreel::testing {

class BackgroundRun {
  public:
    /// Starts STORYREEL_BINARY --quiet `args`, with `extra_env` ("NAME=value") added to this
    /// process's environment; its output goes to /dev/null. Throws std::system_error.
    BackgroundRun(const std::vector<std::string>& args, const std::vector<std::string>& extra_env);
    /// Kills it if it still runs.
    ~BackgroundRun();
    BackgroundRun(const BackgroundRun&) = delete;
    BackgroundRun& operator=(const BackgroundRun&) = delete;

    /// Waits until the process stops itself (SIGSTOP) or exits; true if it stopped.
    bool wait_until_stopped();
    /// Kills it (SIGKILL) and waits for it; true when it was still running (not exited).
    bool kill_now();

  private:
    pid_t pid_ = -1;
};

}  // namespace storyreel::testing
