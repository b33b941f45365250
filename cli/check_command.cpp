#include "cli/check_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "checks/check_table.h"
#include "cli/commands.h"
#include "cli/subcommand.h"
#include "editorial/cut_retime.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/atomic_file.h"
#include "pipeline/exit_codes.h"
#include "pipeline/file_hash_memo.h"
#include "pipeline/shot_record.h"
#include "publish/published_boards.h"
#include "sources/project_sources.h"
#include "sources/script_reader.h"
#include "stages/audio_analysis.h"
#include "stages/board_thumbnail.h"
#include "stages/builtin_stages.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// $XDG_CACHE_HOME/storyreel, ~/.cache/storyreel, else .storyreel-cache here.
fs::path default_check_cache() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "storyreel";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "storyreel";
    return ".storyreel-cache";
}

std::vector<fs::path> boards_of(const CutPlan& plan) {
    std::vector<fs::path> boards;
    for (const auto& slot : plan.slots) boards.push_back(slot.panel->board);
    return boards;
}

}  // namespace

std::shared_ptr<checks::CheckSession> attach_production_checks(BuildRequest& request,
                                                               const std::string& script,
                                                               const std::string& publish) {
    auto session = std::make_shared<checks::CheckSession>();
    session->services.scripts = &sources::script_reader();
    session->services.audio = request.audio_analyzer;
    session->services.script_override = script;
    session->services.board_history = [publish](const ValidatedBuild& build, std::size_t depth) {
        const std::filesystem::path root =
            publish.empty() ? build.pipeline.publish_root
                            : std::filesystem::absolute(publish).lexically_normal();
        return publish::read_board_history(root, build.project.show.name, build.plan, depth);
    };
    session->services.make_board_reader = [](const Project& project, const PipelineSpec& pipeline) {
        return std::make_unique<IngestBoardSignatureReader>(project, pipeline);
    };
    checks::attach_checks(request, session);
    return session;
}

int checks_exit_code(const checks::CheckReport& report, const std::string& fail_on) {
    if (fail_on == "never") return kExitOk;
    const auto threshold = checks::parse_severity(fail_on);
    if (!threshold) return kExitOk;
    return report.unacknowledged_at_least(*threshold) > 0 ? kExitChecksFailed : kExitOk;
}

int run_check(const CheckOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const StageRegistry registry = builtin_stage_registry();
    BuildRequest request;
    request.project = options.project;
    request.pipeline = options.pipeline.empty() ? default_pipeline_path() : options.pipeline;
    request.sources = &sources::project_sources();
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    request.apply_cuts = apply_project_cuts;
    request.selection.only = options.only;
    // Sources that derive boards (Storyboarder layers) keep them in the cache, as a build does.
    const fs::path cache = options.cache.empty() ? default_check_cache() : fs::path(options.cache);
    request.cache_dir = cache;
    request.output_dir = cache;
    const auto session = attach_production_checks(request, options.script, options.publish);
    try {
        ValidatedBuild build = validate_build(request, registry);
        // The hash memo and board signatures go into the cache: stamped (created or adopted)
        // first, as a build does, so the folder is a cache every cache command recognises.
        const ArtifactCache stamped(cache, CacheAccess::build);
        Diagnostics ignored;
        build.plan = plan_cut(build.project, build.pipeline.grouping, request.selection, ignored);
        const fs::path log_folder = project_log_folder(cache, build.project.file);
        FileHashMemo memo(log_folder / "input-hashes.json");
        const InputHashes hashes(boards_of(build.plan), &memo);
        memo.save();
        BoardSignatureStore signatures(board_signature_file(log_folder));
        const checks::CheckReport& report =
            checks::run_session(*session, build, hashes.all(), signatures, {});
        signatures.save();
        std::cout << checks::check_table(report);
        if (!options.json.empty()) {
            write_file_atomically(options.json, checks::to_json(report).dump(2) + "\n");
            std::cout << "json: " << options.json << "\n";
        }
        spdlog::info(
            "checked {} panels in {:.2f} s ({} board signatures computed, {} hashed)",
            build.plan.slots.size(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
            signatures.computed(), memo.hashed());
        return checks_exit_code(report, options.fail_on);
    } catch (const ValidationError& error) {
        print_problems(error.diagnostics());
        return kExitInvalidConfig;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: check failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

void add_check_command(CLI::App& app, Subcommands& commands) {
    auto check = std::make_shared<CheckOptions>();
    auto* check_command = app.add_subcommand(
        "check", "find production hurdles in the cut without rendering (exit 3 at --fail-on)");
    check_command->add_option("--project", check->project, kProjectOptionHelp)->required();
    check_command->add_option(
        "--pipeline", check->pipeline,
        "pipeline YAML (default configs/animatic.yaml): its checks: block and burn-ins");
    check_command->add_option("--only", check->only, "only SEQ or SEQ/SHOT (repeatable)");
    check_command->add_option("--script", check->script,
                              "screenplay (.fountain/.fdx) for projects without one");
    check_command->add_option("--publish", check->publish,
                              "publish root whose earlier versions show stale boards (default: the "
                              "pipeline's settings.publish)");
    check_command->add_option("--json", check->json,
                              "write the findings and the breakdown as JSON (docs/checks.md)");
    check_command
        ->add_option(
            "--fail-on", check->fail_on,
            "exit 3 when a finding at or above error (default), warning or info exists; never")
        ->check(CLI::IsMember({"error", "warning", "info", "never"}));
    check_command->add_option("--cache", check->cache,
                              "where board signatures are kept (default ~/.cache/storyreel; a "
                              "build's --cache shares them)");

    commands.push_back({check_command, [check] { return run_check(*check); }});
}

}  // namespace storyreel
