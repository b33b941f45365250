#pragma once
// The current time in UTC as text: for manifests, lock holders and job names.

#include <string>

namespace storyreel {

/// ISO 8601, "2026-12-06T04:31:07Z".
inline constexpr const char* kIso8601Utc = "%Y-%m-%dT%H:%M:%SZ";
/// Compact, for names: "20261206-043107".
inline constexpr const char* kCompactUtc = "%Y%m%d-%H%M%S";

/// Now, formatted with strftime's `format`.
std::string utc_time_now(const char* format = kIso8601Utc);

}  // namespace storyreel
