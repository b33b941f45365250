#include "checks/check_rule.h"
#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

RuleRegistry make_builtin_rules() {
    RuleRegistry registry;
    registry.add(dialogue_pace_rule());
    registry.add(dead_air_rule());
    registry.add(caption_rate_rule());
    registry.add(script_runtime_rule());
    registry.add(audio_overrun_rule());
    registry.add(unspoken_line_rule());
    registry.add(duplicate_board_rule());
    registry.add(placeholder_board_rule());
    registry.add(soft_board_rule());
    registry.add(shot_length_rule());
    return registry;
}

}  // namespace

const RuleRegistry& builtin_rules() {
    static const RuleRegistry registry = make_builtin_rules();
    return registry;
}

}  // namespace storyreel::checks
