// storyreel: storyboard panels in, animatic movies out.

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <OpenImageIO/imageio.h>

extern "C" {
#include <libavutil/log.h>
}

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "pipeline/exit_codes.h"
#include "pipeline/version.h"

int main(int argc, char** argv) {
    using namespace storyreel;
    CLI::App app{"storyreel: turns storyboard panels into animatic movies"};
    app.set_version_flag("--version", std::string("storyreel ") + kVersion);
    app.require_subcommand(1);
    CommonOptions common;
    app.add_flag("-q,--quiet", common.quiet, "only print errors");
    app.add_flag("-v,--verbose", common.verbose, "print debug messages");

    ValidateOptions validate;
    auto* validate_command = app.add_subcommand("validate", "check a project and pipeline, report every problem");
    validate_command->add_option("--project", validate.project, "project YAML file or folder")->required();
    validate_command->add_option("--pipeline", validate.pipeline, "pipeline YAML (default configs/animatic.yaml)");

    BuildOptions build;
    auto* build_command = app.add_subcommand("build", "render the animatic movies");
    build_command->add_option("--project", build.project, "project YAML file or folder")->required();
    build_command->add_option("--pipeline", build.pipeline, "pipeline YAML (default configs/animatic.yaml)");
    build_command->add_option("--out", build.output, "output folder")->required();
    build_command->add_option("--jobs,-j", build.jobs, "worker threads (default: all cores)")->check(CLI::Range(1, 256));
    build_command->add_option("--only", build.only, "build only SEQ or SEQ/SHOT (repeatable)");

    DemoOptionsCli demo;
    auto* demo_command = app.add_subcommand("demo", "write the demo project (boards, audio, project.yaml)");
    demo_command->add_option("dir", demo.dir, "folder to write into")->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? kExitOk : kExitUsage;
    }
    // Logs and progress go to stderr; stdout carries only results (paths, reports).
    spdlog::set_default_logger(spdlog::stderr_color_mt("storyreel"));
    spdlog::set_pattern("[storyreel] %^%l%$: %v");
    spdlog::set_level(common.quiet ? spdlog::level::err
                      : common.verbose ? spdlog::level::debug
                                       : spdlog::level::info);
    av_log_set_level(common.verbose ? AV_LOG_INFO : AV_LOG_ERROR);
    // Stages run inside TBB: OIIO must not start its own thread pool per call.
    OIIO::attribute("threads", 1);

    std::unique_ptr<tbb::global_control> parallelism;
    if (build.jobs > 0)
        parallelism = std::make_unique<tbb::global_control>(
            tbb::global_control::max_allowed_parallelism, build.jobs);

    if (*validate_command) return run_validate(validate);
    if (*build_command) return run_build_command(build, common);
    if (*demo_command) return run_demo(demo);
    return kExitUsage;
}
