#include "cli/commands.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "demo/demo_project.h"
#include "pipeline/build.h"
#include "pipeline/exit_codes.h"
#include "stages/builtin_stages.h"

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel {

namespace fs = std::filesystem;

std::string default_pipeline_path() {
    const fs::path relative = fs::path("configs") / "animatic.yaml";
    std::error_code error;
    const fs::path executable = fs::read_symlink("/proc/self/exe", error);
    std::vector<fs::path> candidates{relative};
    if (!error) {
        candidates.push_back(executable.parent_path() / relative);
        candidates.push_back(executable.parent_path().parent_path() / relative);
        candidates.push_back(executable.parent_path().parent_path() / "share" / "storyreel" / relative);
    }
    candidates.push_back(fs::path(STORYREEL_SOURCE_DIR) / relative);
    for (const auto& candidate : candidates)
        if (fs::is_regular_file(candidate, error)) return candidate.string();
    return relative.string();
}

namespace {

void print_problems(const Diagnostics& diagnostics) {
    std::cerr << "storyreel: " << diagnostics.size()
              << (diagnostics.size() == 1 ? " problem" : " problems") << " found:\n";
    for (const auto& item : diagnostics.items()) std::cerr << "  " << item.to_string() << '\n';
}

BuildRequest make_request(const std::string& project, const std::string& pipeline) {
    BuildRequest request;
    request.project = project;
    request.pipeline = pipeline.empty() ? default_pipeline_path() : pipeline;
    return request;
}

}  // namespace

int run_validate(const ValidateOptions& options) {
    const StageRegistry registry = builtin_stage_registry();
    try {
        ValidatedBuild build = validate_build(make_request(options.project, options.pipeline), registry);
        std::int64_t frames = 0;
        for (const auto& slot : build.plan.slots) frames += slot.frames();
        std::cout << "ok: " << build.project.file.string() << ": " << build.plan.slots.size()
                  << " panels, " << frames << " frames at " << build.project.show.frame_rate.to_string()
                  << " fps, " << build.plan.units.size() << " movie unit(s); pipeline "
                  << build.pipeline.file.string() << ": " << build.pipeline.stages.size()
                  << " stages\n";
        return kExitOk;
    } catch (const ValidationError& error) {
        print_problems(error.diagnostics());
        return kExitInvalidConfig;
    }
}

int run_build_command(const BuildOptions& options, const CommonOptions& common) {
    const StageRegistry registry = builtin_stage_registry();
    BuildRequest request = make_request(options.project, options.pipeline);
    request.output_dir = options.output;
    request.selection.only = options.only;
    request.show_progress = !common.quiet && ::isatty(STDERR_FILENO);
    try {
        BuildResult result = run_build(request, registry);
        for (const auto& output : result.outputs)
            std::cout << output.path.string() << "  (" << output.properties.at("codec") << ", "
                      << output.frame_count << " frames, " << output.start_timecode << ")\n";
        std::cout << "report: " << result.report.string() << "  (" << result.seconds << " s)\n";
        return kExitOk;
    } catch (const ValidationError& error) {
        print_problems(error.diagnostics());
        return kExitInvalidConfig;
    } catch (const BuildError& error) {
        std::cerr << "storyreel: build failed: " << error.what() << '\n'
                  << "storyreel: no partial output was left under a final name; earlier outputs are untouched\n";
        return kExitBuildFailed;
    } catch (const std::exception& error) {
        std::cerr << "storyreel: build failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

int run_demo(const DemoOptionsCli& options) {
    try {
        demo::DemoOptions demo_options;
        const demo::DemoProject project = demo::write_demo_project(options.dir, demo_options);
        std::cout << "demo project: " << project.project_file.string() << " ("
                  << project.panels.size() << " panels, " << project.total_frames << " frames)\n";
        return kExitOk;
    } catch (const std::exception& error) {
        std::cerr << "storyreel: cannot write the demo project: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

}  // namespace storyreel
