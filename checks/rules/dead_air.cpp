// dead_air: a dialogue panel held much longer than its line needs.
#include "checks/rules/rules.h"
#include "checks/script_text.h"

namespace storyreel::checks {

CheckRule dead_air_rule() {
    return {
        "dead_air",
        "a dialogue panel held much longer than its line needs",
        {{"words_per_second", 2.0, "words/s"}, {"slack_seconds", 1.5, "s"}},
        [](const CheckContext& context, const RuleSettings& settings,
           std::vector<Finding>& findings) {
            for (const auto& slot : context.plan.slots) {
                const int words = spoken_word_count(slot.panel->dialogue);
                if (words == 0 || settings["words_per_second"] <= 0) continue;
                const double seconds = context.seconds(slot.frames());
                const double needed =
                    words / settings["words_per_second"] + settings["slack_seconds"];
                if (seconds <= needed) continue;
                Finding finding = context.at_panel(slot, "dead_air", Severity::Info);
                finding.measured = seconds;
                finding.limit = needed;
                finding.unit = "s";
                finding.message = "held " + format_number(seconds) + " s for a " +
                                  std::to_string(words) + "-word line that needs about " +
                                  format_number(needed) + " s";
                finding.hint =
                    "trim the hold, or give the pause a reason (a reaction, a beat in the action)";
                findings.push_back(std::move(finding));
            }
        }};
}

}  // namespace storyreel::checks
