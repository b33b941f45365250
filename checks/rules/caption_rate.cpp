// caption_rate: dialogue burned in as a subtitle that cannot be read (Netflix timed text).
#include <algorithm>

#include "checks/rules/rules.h"
#include "checks/script_text.h"

namespace storyreel::checks {

namespace {

void check_panel(const CheckContext& context, const RuleSettings& settings, const PanelSlot& slot,
                 std::vector<Finding>& findings) {
    const std::string& text = slot.panel->dialogue;
    const std::size_t length = subtitle_length(text);
    if (length == 0) return;
    const double seconds = context.seconds(slot.frames());
    auto add = [&](double measured, double limit, const char* unit, std::string message,
                   std::string hint) {
        Finding finding = context.at_panel(slot, "caption_rate", Severity::Warning);
        finding.measured = measured;
        finding.limit = limit;
        finding.unit = unit;
        finding.message = std::move(message);
        finding.hint = std::move(hint);
        findings.push_back(std::move(finding));
    };
    const double rate = length / seconds;
    if (rate > settings["characters_per_second"])
        add(rate, settings["characters_per_second"], "chars/s",
            "subtitle of " + std::to_string(length) + " characters on screen " +
                format_number(seconds) + " s: " + format_number(rate) +
                " characters/s is faster than viewers read",
            "hold the panel at least " + format_number(length / settings["characters_per_second"]) +
                " s, or shorten the line");
    if (seconds < settings["min_seconds"])
        add(seconds, settings["min_seconds"], "s",
            "subtitle on screen only " + format_number(seconds) + " s",
            "hold the panel at least " + format_number(settings["min_seconds"]) + " s");
    if (seconds > settings["max_seconds"])
        add(seconds, settings["max_seconds"], "s",
            "subtitle on screen " + format_number(seconds) +
                " s, longer than a subtitle should stay",
            "split the panel, or its dialogue over two panels");
    std::size_t longest = 0, start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        longest =
            std::max(longest, subtitle_length(std::string_view(text).substr(start, end - start)));
        if (end == text.size()) break;
        start = end + 1;
    }
    if (longest > settings["max_line_characters"])
        add(static_cast<double>(longest), settings["max_line_characters"], "chars",
            "a subtitle line of " + std::to_string(longest) + " characters",
            "break the dialogue into lines of at most " +
                format_number(settings["max_line_characters"]) +
                " characters (a line break in the dialogue text)");
}

}  // namespace

CheckRule caption_rate_rule() {
    return {"caption_rate",
            "dialogue burned in as a subtitle reads too fast, too briefly, too long or too wide",
            {{"characters_per_second", 17.0, "chars/s"},
             {"min_seconds", 5.0 / 6.0, "s"},
             {"max_seconds", 7.0, "s"},
             {"max_line_characters", 42.0, "chars"},
             {"always", 0, "", true}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                if (!context.dialogue_burned_in() && settings["always"] == 0) return;
                for (const auto& slot : context.plan.slots)
                    check_panel(context, settings, slot, findings);
            }};
}

}  // namespace storyreel::checks
