#include "checks/run_checks.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "checks/breakdown.h"

namespace storyreel::checks {

namespace fs = std::filesystem;

namespace {

const Acknowledgement* find_ack(const CheckContext& context, const Finding& finding) {
    if (finding.panel.empty()) return nullptr;
    for (const auto& sequence : context.project.sequences) {
        if (sequence.name != finding.sequence) continue;
        for (const auto& shot : sequence.shots) {
            if (shot.name != finding.shot) continue;
            for (const auto& panel : shot.panels)
                if (panel.name == finding.panel)
                    for (const auto& ack : panel.acks)
                        if (ack.rule == finding.rule) return &ack;
        }
    }
    for (const auto& item : context.settings.acknowledgements)
        if (item.panel == finding.where() && item.ack.rule == finding.rule) return &item.ack;
    return nullptr;
}

}  // namespace

CheckReport run_checks(const CheckContext& context, const RuleRegistry& rules) {
    CheckReport report;
    for (const auto& rule : rules.rules()) {
        auto settings = context.settings.rules.find(rule.id);
        if (settings == context.settings.rules.end() || !settings->second.enabled) continue;
        rule.run(context, settings->second, report.findings);
    }
    for (auto& finding : report.findings)
        if (const Acknowledgement* ack = find_ack(context, finding)) {
            finding.acknowledged = true;
            finding.ack_reason = ack->reason;
        }
    std::stable_sort(report.findings.begin(), report.findings.end(),
                     [](const Finding& a, const Finding& b) {
                         const auto place = [](const Finding& f) {
                             return f.cut_frame < 0 ? INT64_MAX : f.cut_frame;
                         };
                         if (place(a) != place(b)) return place(a) < place(b);
                         return a.severity > b.severity;
                     });
    report.breakdown = make_breakdown(context);
    return report;
}

std::map<fs::path, BoardSignature> collect_signatures(
    const CutPlan& plan, const std::map<fs::path, std::string>& board_hashes,
    BoardSignatureStore& store, const BoardSignatureReader* reader) {
    std::map<fs::path, BoardSignature> signatures;
    std::vector<const PanelSlot*> missing;
    std::set<std::string> wanted;
    for (const auto& slot : plan.slots) {
        const fs::path& board = slot.panel->board;
        if (signatures.count(board)) continue;
        auto hash = board_hashes.find(board);
        if (hash == board_hashes.end()) continue;
        if (auto found = store.find(hash->second))
            signatures[board] = *found;
        else if (wanted.insert(hash->second).second)
            missing.push_back(&slot);
    }
    if (!reader || missing.empty()) return signatures;
    std::vector<BoardSignature> read(missing.size());
    tbb::parallel_for(std::size_t{0}, missing.size(),
                      [&](std::size_t i) { read[i] = reader->read(*missing[i]); });
    for (std::size_t i = 0; i < missing.size(); ++i)
        store.record_hash(board_hashes.at(missing[i]->panel->board), read[i]);
    for (const auto& slot : plan.slots) {
        auto hash = board_hashes.find(slot.panel->board);
        if (hash == board_hashes.end() || signatures.count(slot.panel->board)) continue;
        if (auto found = store.find(hash->second)) signatures[slot.panel->board] = *found;
    }
    return signatures;
}

std::optional<LinkedScript> load_linked_script(const Project& project,
                                               const fs::path& override_file,
                                               const ScriptReader* reader,
                                               Diagnostics& diagnostics) {
    const fs::path file = override_file.empty() ? project.script : override_file;
    if (file.empty() || !reader) return std::nullopt;
    auto screenplay = reader->read(file, diagnostics);
    if (!screenplay) return std::nullopt;
    return link_script(project, std::move(*screenplay));
}

}  // namespace storyreel::checks
