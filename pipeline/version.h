#pragma once

namespace storyreel {

/// The tool's version, written into build reports.
inline constexpr const char* kVersion = "0.1.0";

}  // namespace storyreel
