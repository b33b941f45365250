#include "checks/build_checks.h"

namespace storyreel::checks {

void validate_checks(CheckSession& session, const Project& project, const PipelineSpec& pipeline,
                     Diagnostics& diagnostics) {
    session.settings = read_check_settings(project, &pipeline, builtin_rules(), diagnostics);
    // Read whether script_runtime runs or not: the breakdown reads the script too.
    session.script = load_linked_script(project, session.services.script_override,
                                        session.services.scripts, diagnostics);
}

std::vector<std::pair<std::string, double>> true_peaks_of(
    const std::vector<std::pair<std::string, nlohmann::json>>& stage_reports) {
    std::vector<std::pair<std::string, double>> peaks;
    // The audio stage reports the normalised mix's loudness, or else its peaks.
    const std::pair<const char*, const char*> sources[] = {{"loudness", "output_true_peak_dbtp"},
                                                           {"peaks", "true_peak_dbtp"}};
    for (const auto& [stage, report] : stage_reports) {
        if (!report.is_object()) continue;
        for (const auto& [list, field] : sources) {
            if (!report.contains(list) || !report[list].is_array()) continue;
            for (const auto& unit : report[list])
                if (unit.contains("unit") && unit["unit"].is_string() && unit.contains(field) &&
                    unit[field].is_number())
                    peaks.emplace_back(unit["unit"].get<std::string>(), unit[field].get<double>());
        }
    }
    return peaks;
}

const CheckReport& run_session(
    CheckSession& session, const ValidatedBuild& build,
    const std::map<std::filesystem::path, std::string>& board_hashes,
    BoardSignatureStore& signatures,
    const std::vector<std::pair<std::string, nlohmann::json>>& stage_reports) {
    CheckContext context{build.project, &build.pipeline, build.plan, *session.settings};
    context.script = session.script ? &*session.script : nullptr;
    context.board_hashes = board_hashes;
    std::unique_ptr<BoardSignatureReader> made;
    const BoardSignatureReader* reader = session.services.boards;
    if (!reader && session.services.make_board_reader) {
        made = session.services.make_board_reader(build.project, build.pipeline);
        reader = made.get();
    }
    context.signatures = collect_signatures(build.plan, board_hashes, signatures, reader);
    context.audio = session.services.audio.get();
    context.unit_true_peaks = true_peaks_of(stage_reports);
    BoardHistory history;
    const RuleSettings& placeholder = session.settings->rules.at("placeholder_board");
    if (session.services.board_history && placeholder.enabled &&
        placeholder["stale_versions"] > 0) {
        history = session.services.board_history(
            build, static_cast<std::size_t>(placeholder["stale_versions"]));
        context.history = &history;
    }
    session.report = run_checks(context);
    return session.report;
}

void attach_checks(BuildRequest& request, const std::shared_ptr<CheckSession>& session) {
    request.validate_checks = [session](const Project& project, const PipelineSpec& pipeline,
                                        Diagnostics& diagnostics) {
        validate_checks(*session, project, pipeline, diagnostics);
    };
    request.run_checks = [session](const BuildChecksInput& input) {
        const CheckReport& report = run_session(*session, input.build, input.hashes.all(),
                                                input.signatures, input.stage_reports);
        const nlohmann::json document = to_json(report);
        BuildChecksReport result;
        result.checks = {{"format_version", kChecksFormatVersion},
                         {"summary", report.summary()},
                         {"findings", document["findings"]}};
        result.breakdown = document["breakdown"];
        return result;
    };
}

}  // namespace storyreel::checks
