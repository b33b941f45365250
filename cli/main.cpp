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

#include "cli/allocator_tuning.h"
#include "cli/check_command.h"
#include "cli/checksum_command.h"
#include "cli/commands.h"
#include "cli/documentation_commands.h"
#include "cli/publish_commands.h"
#include "cli/timing_command.h"
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

    ValidateOptions validate;
    auto* validate_command = app.add_subcommand("validate", "check a project and pipeline, report every problem");
    validate_command->add_option("--project", validate.project, "project YAML, Storyboarder scene/project or image folder")->required();
    validate_command->add_option("--pipeline", validate.pipeline, "pipeline YAML (default configs/animatic.yaml)");

    BuildOptions build;
    auto* build_command = app.add_subcommand("build", "render the animatic movies");
    build_command->add_option("--project", build.project, "project YAML, Storyboarder scene/project or image folder")->required();
    build_command->add_option("--pipeline", build.pipeline, "pipeline YAML (default configs/animatic.yaml)");
    build_command->add_option("--out", build.output, "output folder")->required();
    build_command->add_option("--jobs,-j", build.jobs, "worker threads (default: all cores)")->check(CLI::Range(1, 256));
    build_command->add_option("--only", build.only, "build only SEQ or SEQ/SHOT (repeatable)");
    build_command->add_option("--cache", build.cache, "shot segment cache folder (default OUT/.storyreel-cache)");
    build_command->add_flag("--explain", build.explain, "say, per shot, why it was rebuilt or reused");
    build_command->add_option("--publish", build.publish, "publish each sequence as a new version under ROOT/<show>/<sequence>/");
    build_command->add_flag("--force", build.force_publish, "publish even when nothing that determines the cut changed");
    build_command->add_option("--shard", build.shard, "farm shard task I/N: encode shard I's shots into --cache only, write no movies");
    build_command->add_option("--task", build.task, "farm task name shown in the logs (shard-3, assemble)");
    build_command->add_option("--log-format", build.log_format, "json (one object per line) or text")->check(CLI::IsMember({"json", "text"}));
    build_command->add_option("--fail-on", build.fail_on, "exit 3 when a production check finds error, warning or info (default never)")->check(CLI::IsMember({"error", "warning", "info", "never"}));
    build_command->add_option("--script", build.script, "screenplay (.fountain/.fdx) the checks compare the cut with");

    FarmOptions farm;
    auto* farm_command = app.add_subcommand("farm", "spread a build over a render farm");
    farm_command->require_subcommand(1);
    auto* submit_command = farm_command->add_subcommand("submit", "split a build into shard and assemble tasks and submit them");
    submit_command->add_option("--engine", farm.engine, "local (default), slurm, opencue or openjd")->check(CLI::IsMember({"local", "slurm", "opencue", "openjd"}));
    submit_command->add_option("--project", farm.project, "project YAML file or folder")->required();
    submit_command->add_option("--pipeline", farm.pipeline, "pipeline YAML (default configs/animatic.yaml)");
    submit_command->add_option("--out", farm.output, "output folder, on storage every node sees")->required();
    submit_command->add_option("--cache", farm.cache, "shared shot cache (default OUT/.storyreel-cache)");
    submit_command->add_option("--publish", farm.publish, "publish root handed to the assemble task");
    submit_command->add_option("--script", farm.script, "screenplay (.fountain/.fdx) the assemble task's checks compare the cut with");
    submit_command->add_option("--shards", farm.shards, "shard tasks (default: min(shots, 8))")->check(CLI::Range(1, 100000));
    submit_command->add_option("--spool", farm.spool, "job files and logs (default ./farm-spool/JOB)");
    submit_command->add_option("--name", farm.job_name, "job name (default SHOW-YYYYMMDD-HHMMSS)");
    submit_command->add_option("--executable", farm.executable, "the storyreel the farm nodes run (default: this one)");
    submit_command->add_flag("--wait", farm.wait, "slurm: wait for the job and report how it ended");
    submit_command->add_option("--partition", farm.partition, "slurm partition");
    submit_command->add_option("--account", farm.account, "slurm account");
    submit_command->add_option("--qos", farm.qos, "slurm quality of service");
    submit_command->add_option("--time", farm.time_limit, "slurm time limit per task (e.g. 30:00)");
    submit_command->add_option("--cpus-per-task", farm.cpus_per_task, "cores per task")->check(CLI::Range(1, 1024));
    auto* farm_status_command = farm_command->add_subcommand("status", "show the state of a submitted job's tasks");
    farm_status_command->add_option("job", farm.job, "spool folder or job name")->required();
    auto* farm_cancel_command = farm_command->add_subcommand("cancel", "cancel a submitted job");
    farm_cancel_command->add_option("job", farm.job, "spool folder or job name")->required();
    std::string nightly_config;
    auto* nightly_command = app.add_subcommand("nightly", "build and publish only the sequences changed since their last published version");
    nightly_command->add_option("--config", nightly_config, "nightly YAML (see configs/nightly.yaml)")->required();

    TimingOptions timing;
    auto* timing_command = app.add_subcommand("timing", "print every panel's timing and where it came from, without rendering");
    timing_command->add_option("--project", timing.project, "project YAML file or folder")->required();
    timing_command->add_option("--pipeline", timing.pipeline, "pipeline YAML (default configs/animatic.yaml)");
    timing_command->add_option("--only", timing.only, "only SEQ or SEQ/SHOT (repeatable)");
    timing_command->add_option("--labels", timing.labels_dir, "write detected dialogue onsets as Audacity label files into this folder");

    CheckOptions check;
    auto* check_command = app.add_subcommand("check", "find production hurdles in the cut without rendering (exit 3 at --fail-on)");
    check_command->add_option("--project", check.project, "project YAML, Storyboarder scene/project or image folder")->required();
    check_command->add_option("--pipeline", check.pipeline, "pipeline YAML (default configs/animatic.yaml): its checks: block and burn-ins");
    check_command->add_option("--only", check.only, "only SEQ or SEQ/SHOT (repeatable)");
    check_command->add_option("--script", check.script, "screenplay (.fountain/.fdx) for projects without one");
    check_command->add_option("--publish", check.publish, "publish root whose earlier versions show stale boards (default: the pipeline's settings.publish)");
    check_command->add_option("--json", check.json, "write the findings and the breakdown as JSON (docs/checks.md)");
    check_command->add_option("--fail-on", check.fail_on, "exit 3 when a finding at or above error (default), warning or info exists; never")->check(CLI::IsMember({"error", "warning", "info", "never"}));
    check_command->add_option("--cache", check.cache, "where board signatures are kept (default ~/.cache/storyreel; a build's --cache shares them)");

    DemoOptionsCli demo;
    auto* demo_command = app.add_subcommand("demo", "write the demo project (boards, audio, project.yaml)");
    demo_command->add_option("dir", demo.dir, "folder to write into")->required();
    demo_command->add_option("--sequences", demo.sequences, "sequences")->check(CLI::Range(1, 999));
    demo_command->add_option("--shots", demo.shots_per_sequence, "shots per sequence")->check(CLI::Range(1, 999));
    demo_command->add_option("--panels", demo.panels_per_shot, "panels per shot")->check(CLI::Range(1, 999));
    demo_command->add_option("--min-hold", demo.min_hold, "shortest hold in frames")->check(CLI::Range(1, 100000));
    demo_command->add_option("--max-hold", demo.max_hold, "longest hold in frames")->check(CLI::Range(1, 100000));
    demo_command->add_option("--frame-rate", demo.frame_rate, "frame rate");
    demo_command->add_option("--resolution", demo.resolution, "WIDTHxHEIGHT");
    demo_command->add_option("--seed", demo.seed, "random seed");
    demo_command->add_flag("--uniform", demo.uniform, "all boards 8-bit PNG at the show resolution");
    demo_command->add_option("--audio-format", demo.audio_format, "wav or flac");

    CacheOptions cache;
    auto* cache_command = app.add_subcommand("cache", "show or trim a shot segment cache");
    cache_command->require_subcommand(1);
    auto* stats_command = cache_command->add_subcommand("stats", "entries, size, oldest and newest use");
    stats_command->add_option("--cache", cache.dir, "cache folder")->required();
    auto* gc_command = cache_command->add_subcommand("gc", "remove least recently used entries");
    gc_command->add_option("--cache", cache.dir, "cache folder")->required();
    gc_command->add_option("--max-size", cache.max_size, "keep at most this much (e.g. 50G, 800M, 0)");
    gc_command->add_option("--max-age-days", cache.max_age_days, "remove entries unused for longer")->check(CLI::Range(0, 100000));

    ChecksumOptions checksum;
    auto* checksum_command = app.add_subcommand("checksum", "print files' checksums as build reports record them, or verify a build report");
    checksum_command->add_option("files", checksum.files, "files to checksum (xxh128-8m: hashes of 8 MiB blocks)");
    checksum_command->add_flag("--whole", checksum.whole, "xxh128 of the whole file instead (what xxhsum -H2 prints)");
    checksum_command->add_option("--verify", checksum.report, "check every output OUT/build.json lists against its file, or a FOLDER against its ascmhl/ media hash list");

    CutsOptions cuts;
    auto* cuts_command = app.add_subcommand("cuts", "list published versions, or write a cut list of what changed");
    cuts_command->add_option("--publish", cuts.root, "publish root")->required();
    cuts_command->add_option("--show", cuts.show, "only this show");
    cuts_command->add_option("--sequence", cuts.sequence, "only this sequence");
    cuts_command->add_flag("--changed", cuts.changed,
                           "write a cut list of the changed events (with --edl and/or --otio)");
    cuts_command->add_option("--edl", cuts.edl, "CMX3600 EDL file to write (with --changed)");
    cuts_command->add_option("--otio", cuts.otio, "OpenTimelineIO file to write (with --changed)");
    cuts_command->add_option("--version", cuts.version, "version N or latest (with --changed)");
    cuts_command->add_option("--stage", cuts.stage, "the movie the EDL's events come from (encode stage name)");

    PullOptions pull;
    auto* pull_command = app.add_subcommand("pull", "copy a published version into an editor's folder");
    pull_command->add_option("--publish", pull.root, "publish root")->required();
    pull_command->add_option("--sequence", pull.sequence, "sequence")->required();
    pull_command->add_option("--to", pull.to, "editor's folder")->required();
    pull_command->add_option("--show", pull.show, "show (when several publish the sequence)");
    pull_command->add_option("--version", pull.version, "version N or latest (default)");
    pull_command->add_option("--since", pull.since, "do nothing unless newer than version N; print changes since")->check(CLI::Range(0, 1000000));
    pull_command->add_option("--what", pull.what, "movie,edl,otio,xml,changes,manifest,report (default: all but manifest and report)")->delimiter(',');
    pull_command->add_option("--name", pull.names, "KIND=TEMPLATE, e.g. movie={sequence}_animatic.{ext} (repeatable)");
    pull_command->add_flag("--link", pull.link, "hard-link instead of copying where possible");

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

    if (const int code = run_documentation_command(app, documentation); code >= 0) return code;
    if (*validate_command) return run_validate(validate);
    if (*build_command) return run_build_command(build, common);
    if (*timing_command) return run_timing(timing);
    if (*check_command) return run_check(check);
    if (*checksum_command) return run_checksum(checksum);
    if (*demo_command) return run_demo(demo);
    if (*submit_command) return run_farm_submit(farm);
    if (*farm_status_command) return run_farm_status(farm);
    if (*farm_cancel_command) return run_farm_cancel(farm);
    if (*nightly_command) return run_nightly(nightly_config);
    if (*cuts_command) return run_cuts(cuts);
    if (*pull_command) return run_pull(pull);
    if (*stats_command) return run_cache_stats(cache);
    if (*gc_command) return run_cache_gc(cache);
    return kExitUsage;
}

}  // namespace
}  // namespace storyreel
