#pragma once
// The breakdown: per scene, what a first AD reads off the script and the boards (INT/EXT,
// time of day, location, characters, production flags with their evidence, counts).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "checks/check_context.h"
#include "checks/finding.h"

namespace storyreel::checks {

/// Keywords of `keywords` (flag -> words, lower case) found as whole words in `text`, by
/// flag; each flag lists the words that raised it.
std::map<std::string, std::vector<std::string>> find_flags(
    std::string_view text, const std::map<std::string, std::vector<std::string>>& keywords);

/// One SceneBreakdown per sequence in the plan, then one per script scene without boards.
std::vector<SceneBreakdown> make_breakdown(const CheckContext& context);

}  // namespace storyreel::checks
