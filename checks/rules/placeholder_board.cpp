// placeholder_board: a blank or nearly blank board (almost no ink), or a stale one: a board
// unchanged through the last N published versions of its unit while the boards either side
// of it (in the unit's cut order) were redrawn: a placeholder the artist moved on from.
#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

void check_ink(const CheckContext& context, const RuleSettings& settings,
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
        finding.message = "the board is blank or nearly so (" + format_number(ink * 100) +
                          " % ink): a placeholder? " + slot.panel->board.filename().string();
        finding.hint = "draw the board, or ack it if the empty frame is intended";
        findings.push_back(std::move(finding));
    }
}

/// How a panel's board fared over the versions: unchanged in every one, or redrawn in any.
struct BoardAge {
    bool unchanged_throughout = true;
    bool redrawn = false;
};

BoardAge age_of(const std::string& panel, const std::string& hash,
                const std::vector<PublishedBoards>& versions) {
    BoardAge age;
    for (const auto& version : versions) {
        auto published = version.board_hash_by_panel.find(panel);
        if (published == version.board_hash_by_panel.end()) {
            age.unchanged_throughout = false;  // the panel is newer than this version
            continue;
        }
        if (published->second != hash) age.unchanged_throughout = false, age.redrawn = true;
    }
    return age;
}

void check_stale(const CheckContext& context, const RuleSettings& settings,
                 std::vector<Finding>& findings) {
    const auto depth = static_cast<std::size_t>(settings["stale_versions"]);
    if (!context.history || depth == 0) return;
    for (const auto& unit : context.plan.units) {
        auto history = context.history->find(unit.name);
        if (history == context.history->end() || history->second.size() < depth) continue;
        const std::vector<PublishedBoards> versions(history->second.begin(),
                                                    history->second.begin() + depth);
        auto age = [&](std::size_t slot_index) {
            const PanelSlot& slot = context.plan.slots[slot_index];
            auto hash = context.board_hashes.find(slot.panel->board);
            return hash == context.board_hashes.end() ? BoardAge{false, false}
                                                      : age_of(slot.name(), hash->second, versions);
        };
        for (std::size_t i = 0; i < unit.slots.size(); ++i) {
            if (!age(unit.slots[i]).unchanged_throughout) continue;
            // Both neighbours: one redrawn board next to a first or last one is no pattern.
            if (i == 0 || i + 1 == unit.slots.size() || !age(unit.slots[i - 1]).redrawn ||
                !age(unit.slots[i + 1]).redrawn)
                continue;
            const PanelSlot& slot = context.plan.slots[unit.slots[i]];
            Finding finding = context.at_panel(slot, "placeholder_board", Severity::Info);
            finding.measured = static_cast<double>(depth);
            finding.limit = static_cast<double>(depth);
            finding.unit = "published versions";
            finding.message = "the board " + slot.panel->board.filename().string() +
                              " is unchanged since " + versions.back().version +
                              " while the boards either side of it were redrawn: stale?";
            finding.hint = "redraw it, or ack it if the board is final";
            findings.push_back(std::move(finding));
        }
    }
}

}  // namespace

CheckRule placeholder_board_rule() {
    return {"placeholder_board",
            "a blank or nearly blank board, or one left unchanged while its neighbours were "
            "redrawn",
            {{"min_ink_fraction", 0.002, "fraction of the board"},
             {"stale_versions", 3, "published versions"}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                check_ink(context, settings, findings);
                check_stale(context, settings, findings);
            }};
}

}  // namespace storyreel::checks
