// soft_board: a board upscaled a lot to the show resolution, or of another aspect.
#include <algorithm>
#include <cmath>

#include "checks/rules/rules.h"

namespace storyreel::checks {

CheckRule soft_board_rule() {
    return {"soft_board",
            "a board upscaled by more than 2x to the show resolution, or whose aspect differs by "
            "more than 10 %",
            {{"max_upscale", 2.0, "x"}, {"aspect_tolerance", 0.10, "fraction"}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                const auto& show = context.project.show;
                const double show_aspect = static_cast<double>(show.width) / show.height;
                for (const auto& slot : context.plan.slots) {
                    auto found = context.signatures.find(slot.panel->board);
                    if (found == context.signatures.end() || found->second.width <= 0 ||
                        found->second.height <= 0)
                        continue;
                    const BoardSignature& board = found->second;
                    const std::string size =
                        std::to_string(board.width) + "x" + std::to_string(board.height);
                    const double scale = std::min(static_cast<double>(show.width) / board.width,
                                                  static_cast<double>(show.height) / board.height);
                    if (scale > settings["max_upscale"]) {
                        Finding finding = context.at_panel(slot, "soft_board", Severity::Warning);
                        finding.measured = scale;
                        finding.limit = settings["max_upscale"];
                        finding.unit = "x";
                        finding.message = "the board (" + size + ") is enlarged " +
                                          format_number(scale) + "x to " +
                                          std::to_string(show.width) + "x" +
                                          std::to_string(show.height) + ": it will look soft";
                        finding.hint = "export the board at the show resolution (at least " +
                                       std::to_string(static_cast<int>(
                                           std::ceil(show.width / settings["max_upscale"]))) +
                                       " px wide)";
                        findings.push_back(std::move(finding));
                    }
                    const double aspect = static_cast<double>(board.width) / board.height;
                    const double off = std::abs(aspect / show_aspect - 1.0);
                    if (off > settings["aspect_tolerance"]) {
                        Finding finding = context.at_panel(slot, "soft_board", Severity::Warning);
                        finding.measured = off;
                        finding.limit = settings["aspect_tolerance"];
                        finding.unit = "fraction";
                        finding.message = "the board's aspect " + format_number(aspect) + ":1 (" +
                                          size + ") differs from the show's " +
                                          format_number(show_aspect) + ":1 by " +
                                          format_number(off * 100) + " %: big bars around it";
                        finding.hint = "redraw or reframe the board at the show's aspect";
                        findings.push_back(std::move(finding));
                    }
                }
            }};
}

}  // namespace storyreel::checks
