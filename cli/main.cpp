// storyreel: storyboard panels in, animatic movies out.

#include <OpenImageIO/imageio.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include <memory>

#include "cli/allocator_tuning.h"
#include "cli/commands.h"
#include "cli/documentation_commands.h"
#include "cli/subcommand.h"
#include "pipeline/exit_codes.h"
#include "pipeline/last_resort.h"
#include "pipeline/version.h"

namespace storyreel {
namespace {

int run_command(int argc, char** argv);

}  // namespace
}  // namespace storyreel

int main(int argc, char** argv) {
    using namespace storyreel;
    install_last_resort_terminate();
    return run_with_last_resort([&] { return run_command(argc, argv); });
}

namespace storyreel {
namespace {

/// Parses the command line and runs the subcommand; every exit code but 70 comes from here.
int run_command(int argc, char** argv) {
    keep_freed_memory_for_reuse();
    CLI::App app{"storyreel: turns storyboard panels into animatic movies"};
    app.set_version_flag("--version", std::string("storyreel ") + kVersion);
    app.require_subcommand(1);
    CommonOptions common;
    app.add_flag("-q,--quiet", common.quiet, "only print errors");
    app.add_flag("-v,--verbose", common.verbose, "print debug messages");

    Subcommands commands;
    add_validate_command(app, commands);
    add_build_command(app, commands, common);
    add_farm_commands(app, commands);
    add_timing_command(app, commands);
    add_check_command(app, commands);
    add_demo_command(app, commands);
    add_cache_commands(app, commands);
    add_checksum_command(app, commands);
    add_publish_commands(app, commands);

    const DocumentationCommands documentation = add_documentation_commands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error);
        return code == 0 ? kExitOk : kExitUsage;
    }
    // Logs and progress go to stderr; stdout carries only results (paths, reports).
    spdlog::set_default_logger(spdlog::stderr_color_mt("storyreel"));
    spdlog::set_pattern("[storyreel] %^%l%$: %v");
    spdlog::set_level(common.quiet     ? spdlog::level::err
                      : common.verbose ? spdlog::level::debug
                                       : spdlog::level::info);
    av_log_set_level(common.verbose ? AV_LOG_INFO : AV_LOG_ERROR);
    // Stages run inside TBB: OIIO must not start its own thread pool per call.
    OIIO::attribute("threads", 1);

    if (const int code = run_documentation_command(app, documentation); code >= 0) return code;
    for (const Subcommand& command : commands)
        if (*command.parsed) return command.run();
    return kExitUsage;
}

}  // namespace
}  // namespace storyreel
