#include "report/review_data.h"

#include <algorithm>

#include "pipeline/utc_time.h"

namespace storyreel::report {

using nlohmann::json;

std::string finding_where(const json& finding) {
    std::string where;
    for (const char* key : {"sequence", "shot", "panel"}) {
        const std::string part = finding.value(key, std::string());
        if (part.empty()) break;
        where += (where.empty() ? "" : "/") + part;
    }
    return where;
}

std::vector<std::string> sequences_of(const ReviewUnit& unit) {
    std::vector<std::string> sequences;
    for (const auto& panel : unit.panels) {
        const std::string sequence = panel.name.substr(0, panel.name.find('/'));
        if (std::find(sequences.begin(), sequences.end(), sequence) == sequences.end())
            sequences.push_back(sequence);
    }
    return sequences;
}

BuildFacts build_facts_for_unit(const json& build_report, const ReviewUnit& unit) {
    const auto sequences = sequences_of(unit);
    auto ours = [&](const json& item) {
        const std::string sequence = item.value("sequence", std::string());
        return sequence.empty() ||
               std::find(sequences.begin(), sequences.end(), sequence) != sequences.end();
    };
    BuildFacts facts;
    if (const auto checks = build_report.find("checks");
        checks != build_report.end() && checks->is_object())
        for (const auto& finding : checks->value("findings", json::array()))
            if (ours(finding)) facts.findings.push_back(finding);
    if (const auto breakdown = build_report.find("breakdown");
        breakdown != build_report.end() && breakdown->is_array())
        for (const auto& scene : *breakdown)
            if (!scene.value("sequence", std::string()).empty() && ours(scene))
                facts.breakdown.push_back(scene);
    // Every input but the boards of other units: what went into this cut.
    std::vector<std::string> boards;
    for (const auto& panel : unit.panels) boards.push_back(panel.board);
    std::sort(boards.begin(), boards.end());
    for (const auto& input : build_report.value("inputs", json::array()))
        if (input.value("role", std::string()) != "board" ||
            std::binary_search(boards.begin(), boards.end(), input.value("path", std::string())))
            facts.inputs.push_back(input);
    facts.stages = build_report.value("stages", json::array());
    if (const auto tool = build_report.find("tool"); tool != build_report.end())
        facts.tool_version = tool->value("version", std::string());
    if (const auto pipeline = build_report.find("pipeline"); pipeline != build_report.end())
        facts.pipeline = pipeline->value("file", std::string());
    facts.built_at = utc_time_now();
    return facts;
}

}  // namespace storyreel::report
