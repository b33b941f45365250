#pragma once
// Exit codes of the storyreel command, the same on a workstation and on the farm.

namespace storyreel {

inline constexpr int kExitOk = 0;
inline constexpr int kExitBuildFailed = 1;    ///< bad input found during work (corrupt board...)
inline constexpr int kExitInvalidConfig = 2;  ///< validation failed; nothing was done
/// production checks found something at or above `--fail-on` (the outputs were made)
inline constexpr int kExitChecksFailed = 3;
inline constexpr int kExitUsage = 64;  ///< bad command line
inline constexpr int kExitInternalError =
    70;  ///< a bug: an unexpected exception (EX_SOFTWARE); please report
inline constexpr int kExitRetry = 75;  ///< transient failure: run the same command again

}  // namespace storyreel
