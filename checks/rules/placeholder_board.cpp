// placeholder_board: a blank or nearly blank board (almost no ink).
#include "checks/rules/rules.h"

namespace storyreel::checks {

CheckRule placeholder_board_rule() {
    return {"placeholder_board",
            "a blank or nearly blank board (almost no ink)",
            {{"min_ink_fraction", 0.002, "fraction of the board"}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                for (const auto& slot : context.plan.slots) {
                    auto signature = context.signatures.find(slot.panel->board);
                    if (signature == context.signatures.end()) continue;
                    const double ink = signature->second.ink_fraction;
                    if (ink >= settings["min_ink_fraction"]) continue;
                    Finding finding = context.at_panel(slot, "placeholder_board", Severity::Info);
                    finding.measured = ink;
                    finding.limit = settings["min_ink_fraction"];
                    finding.unit = "ink fraction";
                    finding.message = "the board is blank or nearly so (" +
                                      format_number(ink * 100) + " % ink): a placeholder? " +
                                      slot.panel->board.filename().string();
                    finding.hint = "draw the board, or ack it if the empty frame is intended";
                    findings.push_back(std::move(finding));
                }
            }};
}

}  // namespace storyreel::checks
