// dialogue_pace: a panel's dialogue cannot be spoken in its hold.
#include <cmath>

#include "checks/rules/rules.h"
#include "checks/script_text.h"

namespace storyreel::checks {

CheckRule dialogue_pace_rule() {
    return {"dialogue_pace",
            "a panel's dialogue cannot be spoken in its hold",
            {{"words_per_second", 3.0, "words/s"}, {"error_words_per_second", 4.0, "words/s"}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                for (const auto& slot : context.plan.slots) {
                    const int words = spoken_word_count(slot.panel->dialogue);
                    if (words == 0) continue;
                    const double seconds = context.seconds(slot.frames());
                    const double rate = words / seconds;
                    const bool error = rate > settings["error_words_per_second"];
                    if (!error && rate <= settings["words_per_second"]) continue;
                    Finding finding = context.at_panel(slot, "dialogue_pace",
                                                       error ? Severity::Error : Severity::Warning);
                    finding.measured = rate;
                    finding.limit =
                        error ? settings["error_words_per_second"] : settings["words_per_second"];
                    finding.unit = "words/s";
                    const double needed = words / settings["words_per_second"];
                    const auto frames = static_cast<std::int64_t>(
                        std::ceil(needed * context.project.show.frame_rate.num /
                                  context.project.show.frame_rate.den));
                    finding.message = std::to_string(words) + " words in " +
                                      format_number(seconds) + " s: " + format_number(rate) +
                                      " words/s cannot be spoken in the hold";
                    finding.hint = "hold the panel at least " + format_number(needed) + " s (" +
                                   std::to_string(frames) +
                                   " frames), split the line over the next panel, or cut words";
                    findings.push_back(std::move(finding));
                }
            }};
}

}  // namespace storyreel::checks
