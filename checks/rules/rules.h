#pragma once
// The built-in check rules, one per file in this folder; checks/builtin_rules.cpp
// registers each in one line. Ids are part of the interface (docs/checks.md).

#include "checks/check_rule.h"

namespace storyreel::checks {

CheckRule dialogue_pace_rule();
CheckRule dead_air_rule();
CheckRule caption_rate_rule();
CheckRule script_runtime_rule();
CheckRule audio_overrun_rule();
CheckRule unspoken_line_rule();
CheckRule duplicate_board_rule();
CheckRule placeholder_board_rule();
CheckRule soft_board_rule();
CheckRule shot_length_rule();

}  // namespace storyreel::checks
