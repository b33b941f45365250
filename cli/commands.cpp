#include "cli/commands.h"

#include <spdlog/spdlog.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "cli/check_command.h"
#include "cli/publish_commands.h"
#include "cli/subcommand.h"
#include "demo/demo_project.h"
#include "editorial/cut_retime.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/build.h"
#include "pipeline/cache_stamp.h"
#include "pipeline/checked_number.h"
#include "pipeline/exit_codes.h"
#include "pipeline/interruption.h"
#include "sources/project_sources.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel {

namespace fs = std::filesystem;

std::string default_pipeline_path() {
    if (const char* chosen = std::getenv("STORYREEL_PIPELINE"); chosen && *chosen) return chosen;
    const fs::path relative = fs::path("configs") / "animatic.yaml";
    std::error_code error;
    const fs::path executable = fs::read_symlink("/proc/self/exe", error);
    std::vector<fs::path> candidates{relative};
    if (!error) {
        candidates.push_back(executable.parent_path() / relative);
        candidates.push_back(executable.parent_path().parent_path() / relative);
        candidates.push_back(executable.parent_path().parent_path() / "share" / "storyreel" /
                             relative);
    }
    candidates.push_back(fs::path(STORYREEL_SOURCE_DIR) / relative);
    for (const auto& candidate : candidates)
        if (fs::is_regular_file(candidate, error)) return candidate.string();
    return relative.string();
}

void print_problems(const Diagnostics& diagnostics) {
    std::cerr << "storyreel: " << diagnostics.size()
              << (diagnostics.size() == 1 ? " problem" : " problems") << " found:\n";
    for (const auto& item : diagnostics.items()) std::cerr << "  " << item.to_string() << '\n';
}

namespace {

BuildRequest make_request(const std::string& project, const std::string& pipeline) {
    BuildRequest request;
    request.project = project;
    request.pipeline = pipeline.empty() ? default_pipeline_path() : pipeline;
    request.sources = &sources::project_sources();
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    request.apply_cuts = apply_project_cuts;
    return request;
}

}  // namespace

int run_validate(const ValidateOptions& options) {
    const StageRegistry registry = builtin_stage_registry();
    try {
        BuildRequest request = make_request(options.project, options.pipeline);
        attach_production_checks(request, {});  // `checks:` blocks and acks are validated too
        request.run_checks = nullptr;
        ValidatedBuild build = validate_build(request, registry);
        std::int64_t frames = 0;
        for (const auto& slot : build.plan.slots) frames += slot.frames();
        std::cout << "ok: " << build.project.file.string() << ": " << build.plan.slots.size()
                  << " panels, " << frames << " frames at "
                  << build.project.show.frame_rate.to_string() << " fps, "
                  << build.plan.units.size() << " movie unit(s); pipeline "
                  << build.pipeline.file.string() << ": " << build.pipeline.stages.size()
                  << " stages\n";
        return kExitOk;
    } catch (const ValidationError& error) {
        print_problems(error.diagnostics());
        return kExitInvalidConfig;
    }
}

namespace {

/// --explain: why each shot was rebuilt or reused, and how each movie was written.
void print_explanation(const BuildResult& result) {
    for (const auto& shot : result.shots) {
        std::string reasons;
        for (const auto& reason : shot.reasons) reasons += (reasons.empty() ? "" : "; ") + reason;
        std::cout << "explain: " << shot.stage << " " << shot.shot << ": "
                  << (shot.reused ? "reused" : "rebuilt") << " (" << reasons << ")\n";
    }
    for (const auto& output : result.outputs)  // kept, patched, assembled (compacted)
        if (const auto how = output.properties.find("assembly"); how != output.properties.end())
            std::cout << "explain: " << output.stage << " " << output.path.filename().string()
                      << ": " << how->second << "\n";
}

/// One line per file written; a review page's thumbnails (thousands at feature scale) counted.
void print_outputs(const BuildResult& result) {
    std::map<std::filesystem::path, std::size_t> thumbnails;  // per review page folder
    for (const auto& output : result.outputs) {
        if (output.kind == "thumbnail") {
            ++thumbnails[output.path.parent_path()];
            continue;
        }
        // Movies say their codec, cut lists their format.
        const auto& properties = output.properties;
        const auto label = properties.count("codec")    ? properties.at("codec")
                           : properties.count("format") ? properties.at("format")
                                                        : output.kind;
        std::cout << output.path.string() << "  (" << label << ", " << output.frame_count
                  << " frames, " << output.start_timecode << ")\n";
    }
    for (const auto& [folder, count] : thumbnails)
        std::cout << folder.string() << "/  (" << count << " thumbnails)\n";
}

}  // namespace

int run_build_command(const BuildOptions& options, const CommonOptions& common) {
    if (!options.shard.empty() || !options.task.empty() || !options.log_format.empty())
        return run_build_task_command(options, common);
    const StageRegistry registry = builtin_stage_registry();
    BuildRequest request = make_request(options.project, options.pipeline);
    request.output_dir = options.output;
    request.selection.only = options.only;
    request.cache_dir = options.cache;
    request.show_progress = !common.quiet && ::isatty(STDERR_FILENO);
    request.check_pipeline = publish_checks(options);
    const auto checks = attach_production_checks(request, options.script, options.publish);
    if (const int refused = check_publish_selection(options); refused != kExitOk) return refused;
    try {
        // Ctrl-C and the scheduler's cancel stop the build cleanly (pipeline/interruption.h).
        std::optional<InterruptGuard> stop_cleanly(std::in_place);
        BuildResult result = run_build(request, registry);
        stop_cleanly.reset();
        if (const int signal = interrupt_signal()) {  // after the last moment the build could stop
            std::cerr << "storyreel: a stop was asked for (signal " << signal
                      << ") after the build had committed: " << result.report.string()
                      << " and its movies are complete; nothing was published\n";
            return BuildInterrupted(signal).exit_code();
        }
        if (options.explain) print_explanation(result);
        print_outputs(result);
        std::cout << "report: " << result.report.string() << "  (" << result.seconds << " s)\n";
        std::cout << "checks: " << checks->report.summary()
                  << " (storyreel check, or build.json checks)\n";
        const int published = publish_after_build(result, options);
        if (published != kExitOk) return published;
        return checks_exit_code(checks->report, options.fail_on);
    } catch (const ValidationError& error) {
        print_problems(error.diagnostics());
        return kExitInvalidConfig;
    } catch (const BuildError& error) {
        std::cerr << "storyreel: build failed: " << error.what() << '\n'
                  << "storyreel: no partial output was left under a final name; earlier outputs "
                     "are untouched\n";
        return kExitBuildFailed;
    } catch (const BuildInterrupted& stopped) {
        std::cerr << "storyreel: " << stopped.what() << '\n'
                  << "storyreel: its temporary files were removed; earlier outputs are untouched, "
                     "and the shots it finished are in the cache for the next build\n";
        return stopped.exit_code();
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: build failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

int run_demo(const DemoOptionsCli& options) {
    try {
        demo::DemoOptions demo_options;
        demo_options.sequences = options.sequences;
        demo_options.shots_per_sequence = options.shots_per_sequence;
        demo_options.panels_per_shot = options.panels_per_shot;
        demo_options.min_hold_frames = options.min_hold;
        demo_options.max_hold_frames = options.max_hold;
        demo_options.frame_rate = options.frame_rate;
        demo_options.seed = options.seed;
        demo_options.varied_formats = !options.uniform;
        demo_options.audio_format = options.audio_format;
        const auto x = options.resolution.find('x');
        const auto width = parse_integer(options.resolution.substr(0, x), 16, 8192);
        const auto height = x == std::string::npos
                                ? std::nullopt
                                : parse_integer(options.resolution.substr(x + 1), 16, 8192);
        if (!width || !height)
            throw std::invalid_argument("--resolution must be WIDTHxHEIGHT, each from 16 to 8192");
        demo_options.width = static_cast<int>(*width);
        demo_options.height = static_cast<int>(*height);
        const demo::DemoProject project = demo::write_demo_project(options.dir, demo_options);
        std::cout << "demo project: " << project.project_file.string() << " ("
                  << project.panels.size() << " panels, " << project.total_frames << " frames)\n";
        return kExitOk;
    } catch (const std::invalid_argument& error) {  // the demo's options, checked by demo/
        std::cerr << "storyreel: cannot write the demo project: " << error.what() << '\n';
        return kExitUsage;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: cannot write the demo project: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

namespace {

std::string human_bytes(std::uintmax_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %s", value, units[unit]);
    return text;
}

std::string age_of(std::optional<std::chrono::system_clock::time_point> when) {
    if (!when) return "-";
    const auto hours =
        std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now() - *when)
            .count();
    return hours < 48 ? std::to_string(hours) + " h ago" : std::to_string(hours / 24) + " days ago";
}

/// "50G", "800M", "12K", "0" -> bytes; nullopt when malformed.
std::optional<std::uintmax_t> parse_size(const std::string& text) {
    if (text.empty()) return std::nullopt;
    const auto digits_end = text.find_first_not_of("0123456789.");
    const auto value =
        parse_real(std::string_view(text).substr(0, digits_end), 0, 1e6);  // <= 1e6 T
    if (!value) return std::nullopt;
    const char* end = text.c_str() + (digits_end == std::string::npos ? text.size() : digits_end);
    std::uintmax_t scale = 1;
    switch (*end) {
        case '\0':
            break;
        case 'K':
        case 'k':
            scale = 1ull << 10;
            break;
        case 'M':
        case 'm':
            scale = 1ull << 20;
            break;
        case 'G':
        case 'g':
            scale = 1ull << 30;
            break;
        case 'T':
        case 't':
            scale = 1ull << 40;
            break;
        default:
            return std::nullopt;
    }
    if (end[0] != '\0' && end[1] != '\0') return std::nullopt;  // "50G", not "50Gx"
    return static_cast<std::uintmax_t>(*value * static_cast<double>(scale));
}

/// A folder that is not a cache (or not there): the message, exit 2, nothing touched.
int report_cache_refusal(const ValidationError& refused) {
    for (const auto& item : refused.diagnostics().items())
        std::cerr << "storyreel: " << item.message << '\n';
    return kExitInvalidConfig;
}

void print_stats(const CacheStats& stats) {
    std::cout << "entries: " << stats.entries << "\nsize: " << human_bytes(stats.bytes) << " ("
              << stats.bytes << " bytes)\nleast recently used: " << age_of(stats.oldest_use)
              << "\nmost recently used: " << age_of(stats.newest_use) << "\n";
}

}  // namespace

int run_cache_stats(const CacheOptions& options) {
    try {
        const ArtifactCache cache(options.dir, CacheAccess::inspect);
        std::cout << "cache: " << cache.root().string() << "\n";
        if (inspect_cache_folder(cache.root()).kind == CacheFolderKind::unstamped)
            std::cout << "written by an earlier storyreel (no " << kCacheStampFile
                      << "): the next build or gc that uses it stamps it\n";
        print_stats(cache.stats());
        return kExitOk;
    } catch (const ValidationError& refused) {
        return report_cache_refusal(refused);
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

int run_cache_gc(const CacheOptions& options) {
    std::uintmax_t max_bytes = UINTMAX_MAX;
    if (!options.max_size.empty()) {
        auto parsed = parse_size(options.max_size);
        if (!parsed) {
            std::cerr << "storyreel: --max-size '" << options.max_size
                      << "' is not a size (use e.g. 50G, 800M, 0)\n";
            return kExitUsage;
        }
        max_bytes = *parsed;
    }
    if (options.max_size.empty() && options.max_age_days == 0) {
        std::cerr << "storyreel: cache gc needs --max-size or --max-age-days\n";
        return kExitUsage;
    }
    try {
        ArtifactCache cache(options.dir, CacheAccess::trim);
        std::optional<std::chrono::seconds> max_age;
        if (options.max_age_days > 0) max_age = std::chrono::hours(24 * options.max_age_days);
        const auto result = cache.collect_garbage(max_bytes, max_age);
        std::cout << "removed " << result.removed_entries << " entries ("
                  << human_bytes(result.removed_bytes) << ")\n";
        print_stats(result.remaining);
        return kExitOk;
    } catch (const ValidationError& refused) {
        return report_cache_refusal(refused);
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

void add_validate_command(CLI::App& app, Subcommands& commands) {
    auto validate = std::make_shared<ValidateOptions>();
    auto* validate_command =
        app.add_subcommand("validate", "check a project and pipeline, report every problem");
    validate_command->add_option("--project", validate->project, kProjectOptionHelp)->required();
    validate_command->add_option("--pipeline", validate->pipeline,
                                 "pipeline YAML (default configs/animatic.yaml)");

    commands.push_back({validate_command, [validate] { return run_validate(*validate); }});
}

void add_build_command(CLI::App& app, Subcommands& commands, const CommonOptions& common) {
    auto build = std::make_shared<BuildOptions>();
    auto* build_command = app.add_subcommand("build", "render the animatic movies");
    build_command->add_option("--project", build->project, kProjectOptionHelp)->required();
    build_command->add_option("--pipeline", build->pipeline,
                              "pipeline YAML (default configs/animatic.yaml)");
    build_command->add_option("--out", build->output, "output folder")->required();
    build_command->add_option("--jobs,-j", build->jobs, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 256));
    build_command->add_option("--only", build->only, "build only SEQ or SEQ/SHOT (repeatable)");
    build_command->add_option("--cache", build->cache,
                              "shot segment cache folder (default OUT/.storyreel-cache)");
    build_command->add_flag("--explain", build->explain,
                            "say, per shot, why it was rebuilt or reused");
    build_command->add_option(
        "--publish", build->publish,
        "publish each sequence as a new version under ROOT/<show>/<sequence>/");
    build_command->add_flag("--force", build->force_publish,
                            "publish even when nothing that determines the cut changed");
    build_command->add_option(
        "--shard", build->shard,
        "farm shard task I/N: encode shard I's shots into --cache only, write no movies");
    build_command->add_option("--task", build->task,
                              "farm task name shown in the logs (shard-3, assemble)");
    build_command
        ->add_option("--log-format", build->log_format, "json (one object per line) or text")
        ->check(CLI::IsMember({"json", "text"}));
    build_command
        ->add_option("--fail-on", build->fail_on,
                     "exit 3 when a production check finds error, warning or info (default never)")
        ->check(CLI::IsMember({"error", "warning", "info", "never"}));
    build_command->add_option("--script", build->script,
                              "screenplay (.fountain/.fdx) the checks compare the cut with");

    commands.push_back({build_command, [build, &common] {
                            std::unique_ptr<tbb::global_control> parallelism;
                            if (build->jobs > 0)
                                parallelism = std::make_unique<tbb::global_control>(
                                    tbb::global_control::max_allowed_parallelism, build->jobs);
                            return run_build_command(*build, common);
                        }});
}

void add_demo_command(CLI::App& app, Subcommands& commands) {
    auto demo = std::make_shared<DemoOptionsCli>();
    auto* demo_command =
        app.add_subcommand("demo", "write the demo project (boards, audio, project.yaml)");
    demo_command->add_option("dir", demo->dir, "folder to write into")->required();
    demo_command->add_option("--sequences", demo->sequences, "sequences")
        ->check(CLI::Range(1, 999));
    demo_command->add_option("--shots", demo->shots_per_sequence, "shots per sequence")
        ->check(CLI::Range(1, 999));
    demo_command->add_option("--panels", demo->panels_per_shot, "panels per shot")
        ->check(CLI::Range(1, 999));
    demo_command->add_option("--min-hold", demo->min_hold, "shortest hold in frames")
        ->check(CLI::Range(1, 100000));
    demo_command->add_option("--max-hold", demo->max_hold, "longest hold in frames")
        ->check(CLI::Range(1, 100000));
    demo_command->add_option("--frame-rate", demo->frame_rate, "frame rate");
    demo_command->add_option("--resolution", demo->resolution, "WIDTHxHEIGHT");
    demo_command->add_option("--seed", demo->seed, "random seed");
    demo_command->add_flag("--uniform", demo->uniform,
                           "all boards 8-bit PNG at the show resolution");
    demo_command->add_option("--audio-format", demo->audio_format, "wav or flac");

    commands.push_back({demo_command, [demo] { return run_demo(*demo); }});
}

void add_cache_commands(CLI::App& app, Subcommands& commands) {
    auto cache = std::make_shared<CacheOptions>();
    auto* cache_command = app.add_subcommand("cache", "show or trim a shot segment cache");
    cache_command->require_subcommand(1);
    auto* stats_command =
        cache_command->add_subcommand("stats", "entries, size, oldest and newest use");
    stats_command->add_option("--cache", cache->dir, "cache folder")->required();
    auto* gc_command = cache_command->add_subcommand("gc", "remove least recently used entries");
    gc_command->add_option("--cache", cache->dir, "cache folder")->required();
    gc_command->add_option("--max-size", cache->max_size,
                           "keep at most this much (e.g. 50G, 800M, 0)");
    gc_command
        ->add_option("--max-age-days", cache->max_age_days, "remove entries unused for longer")
        ->check(CLI::Range(0, 100000));

    commands.push_back({stats_command, [cache] { return run_cache_stats(*cache); }});
    commands.push_back({gc_command, [cache] { return run_cache_gc(*cache); }});
}

}  // namespace storyreel
