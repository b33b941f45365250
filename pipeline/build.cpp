#include "pipeline/build.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "pipeline/artifact_cache.h"
#include "pipeline/atomic_file.h"
#include "pipeline/build_report.h"
#include "pipeline/cache_stamp.h"
#include "pipeline/content_hash.h"
#include "pipeline/file_hash_memo.h"
#include "pipeline/graph_executor.h"
#include "pipeline/input_limits.h"
#include "pipeline/output_folder_claim.h"
#include "pipeline/progress.h"
#include "pipeline/project_loader.h"
#include "pipeline/timing_report.h"
#include "pipeline/timing_resolver.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// A private temporary folder inside the output folder, removed when the build ends.
class WorkDirectory {
  public:
    explicit WorkDirectory(const fs::path& output_dir) {
        std::string pattern = (output_dir / ".storyreel-work-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw BuildError({{output_dir.string(), 0, 0},
                              "output folder",
                              "cannot create a temporary folder in it",
                              "check permissions and free space"});
        path_ = pattern;
    }
    ~WorkDirectory() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

/// Every file the build reads: project, pipeline, boards, audio.
std::vector<fs::path> input_files(const ValidatedBuild& build) {
    std::vector<fs::path> files{build.pipeline.file};
    std::error_code error;
    if (fs::is_regular_file(build.project.file, error))  // not an image-sequence folder
        files.push_back(build.project.file);
    for (const auto& slot : build.plan.slots) files.push_back(slot.panel->board);
    for (const auto& placement : build.plan.audio) files.push_back(placement.track->file);
    return files;
}

/// Without a cut reader (request.apply_cuts), a `cut:` cannot be honoured: refused, not ignored.
void refuse_editorial_cuts(const Project& project, Diagnostics& diagnostics) {
    const auto refuse = [&](const CutReference& cut, const std::string& subject) {
        diagnostics.add(cut.where, subject,
                        "names an editorial cut (" + cut.file.string() +
                            "), and no cut reader is available here",
                        "run storyreel build, validate or timing");
    };
    if (project.cut) refuse(*project.cut, "cut");
    for (const auto& sequence : project.sequences)
        if (sequence.cut) refuse(*sequence.cut, "sequence " + sequence.name);
}

fs::path cache_root(const BuildRequest& request) {
    return request.cache_dir.empty() ? request.output_dir / ".storyreel-cache" : request.cache_dir;
}

}  // namespace

fs::path board_signature_file(const fs::path& log_folder) {
    return log_folder / "board-signatures.json";
}

fs::path project_log_folder(const fs::path& cache_dir, const fs::path& project_file) {
    return cache_dir / "log" / ContentHasher().add(project_file.string()).digest().substr(7, 16);
}

ValidatedBuild validate_build(const BuildRequest& request, const StageRegistry& registry) {
    Diagnostics diagnostics;
    ProjectLoadOptions load_options{request.sources, {}};
    if (!request.output_dir.empty()) {  // building, not only validating: sources may derive boards
        // A folder that is not a cache is refused before anything reads or writes in it.
        const fs::path cache = fs::absolute(cache_root(request)).lexically_normal();
        const std::string refusal = cache_folder_refusal(cache, inspect_cache_folder(cache), true);
        if (refusal.empty())
            load_options.cache_dir = cache;
        else
            diagnostics.add({cache.string(), 0, 0}, "cache", refusal);
    }
    auto project = load_project(request.project, diagnostics, load_options);
    if (project) {  // the editor's cut, if any
        if (request.apply_cuts)
            request.apply_cuts(*project, diagnostics);
        else
            refuse_editorial_cuts(*project, diagnostics);
    }
    std::error_code ignored;
    auto pipeline = load_pipeline(fs::absolute(request.pipeline, ignored).lexically_normal(),
                                  registry, diagnostics);
    CutPlan plan;
    if (project) resolve_timing(*project, request.audio_analyzer.get(), diagnostics);
    if (project) check_project_limits(*project, diagnostics);  // before any work is planned
    if (project && pipeline) {
        validate_stage_params(*pipeline, registry, *project, diagnostics);
        if (request.check_pipeline) request.check_pipeline(*pipeline, diagnostics);
        if (request.validate_checks) request.validate_checks(*project, *pipeline, diagnostics);
        plan = plan_cut(*project, pipeline->grouping, request.selection, diagnostics);
        if (diagnostics.empty())
            check_stage_plans(*pipeline, registry, *project, plan, diagnostics);
    }
    if (!diagnostics.empty() || !project || !pipeline) throw ValidationError(diagnostics);
    return ValidatedBuild{std::move(*project), std::move(*pipeline), std::move(plan)};
}

namespace {

/// Decides what each output stage reuses, then runs the graph with progress on a terminal.
void run_stages(GraphExecutor& executor, const ValidatedBuild& build, const InputHashes& hashes,
                ArtifactCache& cache, BuildLog& log, bool show_progress, BuildResult& result) {
    result.shots = executor.plan_reuse(hashes, cache, log);
    std::int64_t frames = 0;
    for (const auto& slot : build.plan.slots) frames += slot.frames();
    const std::size_t sinks = executor.sink_count();
    ProgressReporter progress(frames * static_cast<std::int64_t>(sinks),
                              build.plan.slots.size() * sinks, show_progress);
    std::size_t reused = 0;
    for (const auto& shot : result.shots) reused += shot.reused;
    result.panels_read = executor.panels_needing_pixels();
    spdlog::info(
        "building {} panels ({} frames) into {} unit(s) with {} output stage(s); {} of {} shot "
        "encodes reused from the cache, {} panels to read",
        build.plan.slots.size(), frames, build.plan.units.size(), sinks, reused,
        result.shots.size(), result.panels_read);
    try {
        result.outputs = executor.run(&progress);
    } catch (...) {
        progress.finish();
        throw;
    }
    progress.finish();
}

/// The production checks of a finished build, into its report.
void add_checks(const BuildRequest& request, const ValidatedBuild& build, const InputHashes& hashes,
                BoardSignatureStore& signatures, const GraphExecutor& executor,
                nlohmann::json& report) {
    const auto checks_start = std::chrono::steady_clock::now();
    const std::size_t recorded = signatures.computed();
    const BuildChecksReport checks =
        request.run_checks({build, hashes, signatures, executor.reports()});
    signatures.save();
    spdlog::info(
        "production checks: {:.3f} s ({} board signatures taken while conforming, {} boards "
        "read for them)",
        std::chrono::duration<double>(std::chrono::steady_clock::now() - checks_start).count(),
        recorded, signatures.computed() - recorded);
    report["checks"] = checks.checks;
    report["breakdown"] = checks.breakdown;
}

}  // namespace

BuildResult run_build(const BuildRequest& request, const StageRegistry& registry) {
    const auto start = std::chrono::steady_clock::now();
    auto validated = std::make_shared<ValidatedBuild>(validate_build(request, registry));
    ValidatedBuild& build = *validated;
    // The plan points into the project; re-plan against the copy we keep.
    Diagnostics ignored;
    build.plan = plan_cut(build.project, build.pipeline.grouping, request.selection, ignored);

    ensure_writable_directory(request.output_dir);
    // Farm shards only fill the cache and run side by side; a build writing movies runs alone.
    const OutputFolderClaim claim(request.output_dir, request.cache_only
                                                          ? OutputFolderClaim::Mode::shared
                                                          : OutputFolderClaim::Mode::exclusive);
    WorkDirectory work(request.output_dir);
    BuildEnvironment environment{fs::absolute(request.output_dir), work.path(), 1,
                                 request.cache_only};
    ArtifactCache cache(cache_root(request));
    const fs::path log_folder = project_log_folder(cache.root(), build.project.file);
    // Board signatures for the checks, recorded by the conform stage as boards are read.
    // Farm shards (cache_only) record them for the assemble task, which runs the checks.
    BoardSignatureStore signatures(request.run_checks ? board_signature_file(log_folder)
                                                      : fs::path());
    if (request.run_checks) environment.board_signatures = &signatures;

    GraphExecutor executor(build.pipeline, registry, build.project, build.plan, environment);
    FileHashMemo memo(log_folder / "input-hashes.json");
    const InputHashes hashes(input_files(build), &memo);
    memo.save();
    signatures.set_board_hashes(hashes.all());
    spdlog::debug("inputs: {} hashed, {} unchanged since the last build", memo.hashed(),
                  hashes.all().size() - memo.hashed());
    BuildLog log(log_folder);
    BuildResult result;
    run_stages(executor, build, hashes, cache, log, request.show_progress, result);
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (request.cache_only) {
        signatures.save();
        return result;
    }
    write_onset_labels(build.project, request.output_dir);
    result.report = request.output_dir / "build.json";
    BuildReportInput report{build.project,  build.pipeline,          build.plan,
                            result.outputs, executor.fingerprints(), hashes,
                            result.shots,   result.seconds,          executor.reports()};
    result.report_document = make_build_report(report);
    if (request.run_checks)
        add_checks(request, build, hashes, signatures, executor, result.report_document);
    // Pages describing the build (the review page) see the whole report, checks included.
    for (auto& record : executor.describe_build(result.report_document)) {
        result.report_document["outputs"].push_back(to_json(record));
        result.outputs.push_back(std::move(record));
    }
    write_file_atomically(result.report, result.report_document.dump(2) + "\n");
    result.validated = std::move(validated);
    return result;
}

}  // namespace storyreel
