#pragma once
// Ctrl-C on a terminal (SIGINT), a farm scheduler's cancel (SIGTERM: Slurm's scancel,
// OpenCue's kill) or a closed terminal (SIGHUP) stop a build cleanly.
//
// Killed outright, a build would leave gigabytes of half-written movies and segments under
// hidden temporary names. Instead, while an InterruptGuard is alive the first such signal
// only raises a flag; the graph, the movie assembler and the audio mixer look at it between
// pieces of work (stop_if_interrupted) and throw BuildInterrupted, which unwinds the build
// like any failure: every sink drops its temporary files and nothing is renamed into place.
// The build's commit (renaming finished movies into place, patching one) is not
// interrupted: it is short, and stopping it half-way would leave a mix of old and new.
// A second signal of the same kind ends the process at once (the default action), for a
// build that does not stop fast enough.

#include <stdexcept>

namespace storyreel {

/// Raised between pieces of work once a stop was asked for.
class BuildInterrupted : public std::runtime_error {
  public:
    explicit BuildInterrupted(int signal);
    int signal() const { return signal_; }
    /// 128 + the signal number: what a shell reports for a process the signal ended.
    int exit_code() const { return 128 + signal_; }

  private:
    int signal_;
};

/// Catches SIGINT, SIGTERM and SIGHUP while alive; restores the previous handlers after.
/// One at a time (the command line's, around a build).
class InterruptGuard {
  public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};

/// The signal that asked the build to stop, or 0. Async-signal-safe to set, cheap to read.
int interrupt_signal() noexcept;

/// Throws BuildInterrupted when a stop was asked for.
void stop_if_interrupted();

/// Forgets a stop that was asked for (tests run several builds in one process).
void clear_interrupt() noexcept;

}  // namespace storyreel
