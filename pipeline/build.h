#pragma once
// One build, start to finish: validate everything, plan the cut, run the graph, write
// build.json. The command line and the tests call this.

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/audio_analyzer.h"
#include "pipeline/board_signature.h"
#include "pipeline/cut_plan.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project.h"
#include "pipeline/project_source.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

struct ValidatedBuild;

/// What a build hands the production checks (checks/) once its graph has run.
struct BuildChecksInput {
    const ValidatedBuild& build;
    const InputHashes& hashes;        ///< every board's content hash
    BoardSignatureStore& signatures;  ///< those the conform stage recorded, and the kept ones
    std::vector<std::pair<std::string, nlohmann::json>> stage_reports;  ///< e.g. the mix's loudness
};

/// The checks' answer, as build.json records it.
struct BuildChecksReport {
    nlohmann::json checks;     ///< build.json `checks` (findings)
    nlohmann::json breakdown;  ///< build.json `breakdown` (per scene)
};

/// Re-times and re-orders a loaded project to the editor's cut files its `cut:` keys name
/// (editorial/ reads EDL and OTIO: apply_project_cuts), adding problems to the diagnostics.
using ApplyEditorialCuts = std::function<void(Project&, Diagnostics&)>;

struct BuildRequest {
    std::filesystem::path project;   ///< project file or folder
    std::filesystem::path pipeline;  ///< pipeline YAML
    std::filesystem::path output_dir;
    std::filesystem::path cache_dir;  ///< shot segments; default OUT/.storyreel-cache
    Selection selection;
    bool show_progress = false;  ///< live progress line on stderr
    /// Only fill the shot cache (a farm shard): encode the selected shots into the cache,
    /// skip whole-cut stages (audio) and write no movies and no build.json.
    bool cache_only = false;
    /// Decodes audio for timing (fit, markers, dialogue); null: such projects are refused.
    std::shared_ptr<AudioAnalyzer> audio_analyzer;
    /// Reads Storyboarder scenes, image folders... named by --project or `source:`;
    /// null: project YAML with `sequences:` only.
    const ProjectSourceReader* sources = nullptr;
    /// Applies the project's `cut:`s after loading, before timing and planning; null: a
    /// project or sequence naming a cut is refused.
    ApplyEditorialCuts apply_cuts;
    /// More checks of the loaded pipeline (the command line's publishing options), run with
    /// validation so their problems are listed with every other one before work starts.
    std::function<void(const PipelineSpec&, Diagnostics&)> check_pipeline;
    /// Validates the `checks:` blocks and panel `ack`s (checks/ knows the rules); run with
    /// validation, so their problems are listed with every other one.
    std::function<void(const Project&, const PipelineSpec&, Diagnostics&)> validate_checks;
    /// Runs the production checks after the graph (the movies are made whatever they
    /// find); their result goes into build.json. Null: no checks.
    std::function<BuildChecksReport(const BuildChecksInput&)> run_checks;
};

/// Everything validated, ready to run.
struct ValidatedBuild {
    Project project;
    PipelineSpec pipeline;
    CutPlan plan;
};

/// Loads and checks project, pipeline, selection and every stage's params, collecting
/// every problem; throws ValidationError listing all of them.
ValidatedBuild validate_build(const BuildRequest& request, const StageRegistry& registry);

struct BuildResult {
    std::vector<OutputRecord> outputs;
    std::vector<ShotDecision> shots;  ///< per output stage and shot: reused or why rebuilt
    std::size_t panels_read = 0;      ///< boards read (decoded) by the build
    std::filesystem::path report;     ///< OUT/build.json (empty for a cache-only build)
    nlohmann::json report_document;   ///< what build.json holds (with `checks`, `breakdown`)
    /// The project, pipeline and plan the build ran (for publishing after it).
    std::shared_ptr<const ValidatedBuild> validated;
    double seconds = 0;
};

/// The folder of a project's build log in a cache (input hashes, shot records, board
/// signatures).
std::filesystem::path project_log_folder(const std::filesystem::path& cache_dir,
                                         const std::filesystem::path& project_file);
/// Where a project's board signatures are kept, in its log folder.
std::filesystem::path board_signature_file(const std::filesystem::path& log_folder);

/// Runs a build. Throws ValidationError (bad configuration, nothing done) or BuildError /
/// std::exception (failed during work; no partial file left under a final name).
BuildResult run_build(const BuildRequest& request, const StageRegistry& registry);

}  // namespace storyreel
