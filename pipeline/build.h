#pragma once
// One build, start to finish: validate everything, plan the cut, run the graph, write
// build.json. The command line and the tests call this.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/audio_analyzer.h"
#include "pipeline/cut_plan.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project.h"
#include "pipeline/project_source.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

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
    /// More checks of the loaded pipeline (the command line's publishing options), run with
    /// validation so their problems are listed with every other one before work starts.
    std::function<void(const PipelineSpec&, Diagnostics&)> check_pipeline;
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
    std::filesystem::path report;  ///< OUT/build.json (empty for a cache-only build)
    nlohmann::json report_document;  ///< what build.json holds
    /// The project, pipeline and plan the build ran (for publishing after it).
    std::shared_ptr<const ValidatedBuild> validated;
    double seconds = 0;
};

/// Runs a build. Throws ValidationError (bad configuration, nothing done) or BuildError /
/// std::exception (failed during work; no partial file left under a final name).
BuildResult run_build(const BuildRequest& request, const StageRegistry& registry);

}  // namespace storyreel
