#pragma once
// `storyreel check`'s table: findings grouped by sequence (scene), then the breakdown.

#include <string>

#include "checks/finding.h"

namespace storyreel::checks {

/// Findings grouped by sequence, one line each (severity, rule, where, record timecode,
/// measured, limit, message) with the hint below; then a breakdown line per scene.
std::string check_table(const CheckReport& report);

}  // namespace storyreel::checks
