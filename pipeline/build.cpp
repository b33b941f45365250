#include "pipeline/build.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>

#include "pipeline/atomic_file.h"
#include "pipeline/build_report.h"
#include "pipeline/graph_executor.h"
#include "pipeline/progress.h"
#include "pipeline/project_loader.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// A private temporary folder inside the output folder, removed when the build ends.
class WorkDirectory {
public:
    explicit WorkDirectory(const fs::path& output_dir) {
        std::string pattern = (output_dir / ".storyreel-work-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw BuildError({{output_dir.string(), 0, 0}, "output folder",
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

}  // namespace

ValidatedBuild validate_build(const BuildRequest& request, const StageRegistry& registry) {
    Diagnostics diagnostics;
    auto project = load_project(request.project, diagnostics);
    std::error_code ignored;
    auto pipeline =
        load_pipeline(fs::absolute(request.pipeline, ignored).lexically_normal(), registry,
                      diagnostics);
    CutPlan plan;
    if (project && pipeline) {
        validate_stage_params(*pipeline, registry, *project, diagnostics);
        plan = plan_cut(*project, pipeline->grouping, request.selection, diagnostics);
    }
    if (!diagnostics.empty() || !project || !pipeline) throw ValidationError(diagnostics);
    return ValidatedBuild{std::move(*project), std::move(*pipeline), std::move(plan)};
}

BuildResult run_build(const BuildRequest& request, const StageRegistry& registry) {
    const auto start = std::chrono::steady_clock::now();
    ValidatedBuild build = validate_build(request, registry);
    // The plan points into the project; re-plan against the copy we keep.
    Diagnostics ignored;
    build.plan = plan_cut(build.project, build.pipeline.grouping, request.selection, ignored);

    ensure_writable_directory(request.output_dir);
    WorkDirectory work(request.output_dir);
    BuildEnvironment environment{fs::absolute(request.output_dir), work.path(), 1};

    GraphExecutor executor(build.pipeline, registry, build.project, build.plan, environment);
    std::int64_t frames = 0;
    for (const auto& slot : build.plan.slots) frames += slot.frames();
    const std::size_t sinks = executor.sink_count();
    ProgressReporter progress(frames * static_cast<std::int64_t>(sinks),
                              build.plan.slots.size() * sinks, request.show_progress);
    spdlog::info("building {} panels ({} frames) into {} unit(s) with {} output stage(s)",
                 build.plan.slots.size(), frames, build.plan.units.size(), sinks);
    BuildResult result;
    try {
        result.outputs = executor.run(&progress);
    } catch (...) {
        progress.finish();
        throw;
    }
    progress.finish();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.report = request.output_dir / "build.json";
    BuildReportInput report{build.project, build.pipeline, build.plan, result.outputs,
                            executor.fingerprints(), result.seconds};
    write_file_atomically(result.report, make_build_report(report).dump(2) + "\n");
    return result;
}

}  // namespace storyreel
