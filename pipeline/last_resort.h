#pragma once
// The last line of defence: whatever a command lets escape (an exception no reader
// expected, one thrown on another thread) ends as one message and exit 70, never as
// "terminate called", an abort or a core dump.

#include <functional>

namespace storyreel {

/// Runs `command`; an exception escaping it is printed as
/// "storyreel: internal error: WHAT (please report)" and returns kExitInternalError.
int run_with_last_resort(const std::function<int()>& command);

/// Makes std::terminate (an exception escaping a thread or a noexcept function) print the
/// same message and exit 70 instead of aborting.
void install_last_resort_terminate();

}  // namespace storyreel
