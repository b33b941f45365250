#include <stdexcept>

#include "checks/check_rule.h"

namespace storyreel::checks {

void RuleRegistry::add(CheckRule rule) {
    if (find(rule.id)) throw std::logic_error("check rule '" + rule.id + "' registered twice");
    rules_.push_back(std::move(rule));
}

const CheckRule* RuleRegistry::find(const std::string& id) const {
    for (const auto& rule : rules_)
        if (rule.id == id) return &rule;
    return nullptr;
}

std::vector<std::string> RuleRegistry::ids() const {
    std::vector<std::string> ids;
    for (const auto& rule : rules_) ids.push_back(rule.id);
    return ids;
}

}  // namespace storyreel::checks
