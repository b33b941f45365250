#pragma once
// A production check rule: its id (part of the interface), the settings it takes from the
// `checks:` block, and the function that reads the cut and adds findings.
//
// Rules are registered in one line each (checks/builtin_rules.cpp), like stage types.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "checks/check_context.h"
#include "checks/check_settings.h"
#include "checks/finding.h"

namespace storyreel::checks {

struct CheckRule {
    std::string id;
    std::string summary;
    std::vector<RuleParam> params;
    /// Adds the rule's findings for the cut in `context` (acknowledgements are applied
    /// afterwards by run_checks()).
    std::function<void(const CheckContext&, const RuleSettings&, std::vector<Finding>&)> run;
};

class RuleRegistry {
  public:
    void add(CheckRule rule);
    const CheckRule* find(const std::string& id) const;
    std::vector<std::string> ids() const;  ///< in registration order
    const std::vector<CheckRule>& rules() const { return rules_; }

  private:
    std::vector<CheckRule> rules_;
};

/// Every rule storyreel knows.
const RuleRegistry& builtin_rules();

}  // namespace storyreel::checks
