// duplicate_board: the same drawing (content hash), or a near-duplicate (perceptual hash
// within a Hamming distance), used in more than one place of the cut.
#include <map>

#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

void check_exact(const CheckContext& context, std::vector<Finding>& findings) {
    std::map<std::string, const PanelSlot*> first_use;
    for (const auto& slot : context.plan.slots) {
        auto hash = context.board_hashes.find(slot.panel->board);
        if (hash == context.board_hashes.end()) continue;
        auto [it, inserted] = first_use.emplace(hash->second, &slot);
        if (inserted) continue;
        Finding finding = context.at_panel(slot, "duplicate_board", Severity::Warning);
        finding.measured = 0;
        finding.limit = 0;
        finding.unit = "bits";
        finding.message = "the same drawing as " + it->second->name() + " (" +
                          context.record_timecode(*it->second) +
                          "): " + slot.panel->board.filename().string();
        finding.hint =
            "if it stands in for a board still to draw, draw it; if the repeat is intended, ack it";
        findings.push_back(std::move(finding));
    }
}

void check_near(const CheckContext& context, const RuleSettings& settings,
                std::vector<Finding>& findings) {
    struct Drawing {
        const PanelSlot* slot;
        std::string hash;
        std::uint64_t dhash;
    };
    std::vector<Drawing> drawings;  // first use of each distinct drawing, in cut order
    std::map<std::string, bool> seen;
    for (const auto& slot : context.plan.slots) {
        auto hash = context.board_hashes.find(slot.panel->board);
        auto signature = context.signatures.find(slot.panel->board);
        if (hash == context.board_hashes.end() || signature == context.signatures.end()) continue;
        if (seen[hash->second]) continue;
        seen[hash->second] = true;
        // A blank board is placeholder_board's; its hash says nothing about the drawing.
        if (signature->second.ink_fraction < 1e-4) continue;
        drawings.push_back({&slot, hash->second, signature->second.dhash});
    }
    const int limit = static_cast<int>(settings["hamming_distance"]);
    const bool same_shot = settings["within_shot"] != 0;
    for (std::size_t i = 1; i < drawings.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const PanelSlot& earlier = *drawings[j].slot;
            const PanelSlot& later = *drawings[i].slot;
            if (!same_shot && earlier.shot == later.shot) continue;
            const int distance = hamming_distance(drawings[i].dhash, drawings[j].dhash);
            if (distance > limit) continue;
            Finding finding = context.at_panel(later, "duplicate_board", Severity::Info);
            finding.measured = distance;
            finding.limit = limit;
            finding.unit = "bits";
            finding.message = "nearly the same drawing as " + earlier.name() + " (" +
                              context.record_timecode(earlier) + "; perceptual hashes " +
                              std::to_string(distance) + " bits apart)";
            finding.hint =
                "a copied board never redrawn? redraw it, or ack it if the repeat is intended";
            findings.push_back(std::move(finding));
            break;  // one finding per drawing: its nearest earlier match is enough
        }
}

}  // namespace

CheckRule duplicate_board_rule() {
    return {"duplicate_board",
            "the same drawing, or a near-duplicate, used in more than one place of the cut",
            {{"hamming_distance", 2.0, "bits"}, {"within_shot", 0, "", true}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                check_exact(context, findings);
                check_near(context, settings, findings);
            }};
}

}  // namespace storyreel::checks
