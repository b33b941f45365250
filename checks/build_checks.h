#pragma once
// The checks as every build and `storyreel check` run them: validation of the `checks:`
// blocks and the script before any work, then the rules on the planned cut.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "checks/finding.h"
#include "checks/run_checks.h"
#include "pipeline/build.h"

namespace storyreel::checks {

/// What the checks read through the engine's injected interfaces (sources/, stages/).
struct CheckServices {
    const ScriptReader* scripts = nullptr;
    std::shared_ptr<AudioAnalyzer> audio;
    const BoardSignatureReader* boards = nullptr;  ///< reads boards no build has read yet
    /// Makes `boards` for the validated project when it is null.
    std::function<std::unique_ptr<BoardSignatureReader>(const Project&, const PipelineSpec&)>
        make_board_reader;
    std::filesystem::path script_override;  ///< `--script FILE`
    /// The newest `depth` published versions of the build's units (`--publish ROOT`); empty:
    /// there is no publish root, and placeholder_board's stale-board test does not run.
    std::function<BoardHistory(const ValidatedBuild&, std::size_t depth)> board_history;
};

/// Shared between the validation and the run of one build or check.
struct CheckSession {
    CheckServices services;
    std::optional<CheckSettings> settings;
    std::optional<LinkedScript> script;
    CheckReport report;  ///< after the run
};

/// Reads the settings and the script into `session`; problems into `diagnostics`.
void validate_checks(CheckSession& session, const Project& project, const PipelineSpec& pipeline,
                     Diagnostics& diagnostics);

/// Runs the rules on a validated build (`signatures` already holds what the build's
/// conform stage recorded; boards missing from it are read once); stores the report in
/// the session.
const CheckReport& run_session(
    CheckSession& session, const ValidatedBuild& build,
    const std::map<std::filesystem::path, std::string>& board_hashes,
    BoardSignatureStore& signatures,
    const std::vector<std::pair<std::string, nlohmann::json>>& stage_reports);

/// Sets `request.validate_checks` and `request.run_checks` to run the session's checks in
/// a build (build.json `checks` and `breakdown`).
void attach_checks(BuildRequest& request, const std::shared_ptr<CheckSession>& session);

/// The mix's true peak per unit from the audio stage's report (when it measured loudness).
std::vector<std::pair<std::string, double>> true_peaks_of(
    const std::vector<std::pair<std::string, nlohmann::json>>& stage_reports);

}  // namespace storyreel::checks
