// `storyreel farm submit|status|cancel` and `storyreel build` run as a farm task.

#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/check_command.h"
#include "cli/commands.h"
#include "cli/publish_commands.h"
#include "cli/subcommand.h"
#include "editorial/cut_retime.h"
#include "farm/build_task.h"
#include "farm/farm_job.h"
#include "farm/local_engine.h"
#include "farm/opencue_spec.h"
#include "farm/openjd_template.h"
#include "farm/slurm_engine.h"
#include "nightly/nightly.h"
#include "pipeline/exit_codes.h"
#include "pipeline/interruption.h"
#include "pipeline/utc_time.h"
#include "sources/project_sources.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

farm::SubmitOptions submit_options(const FarmOptions& options) {
    farm::SubmitOptions submit;
    submit.engine = options.engine;
    submit.project = options.project;
    submit.pipeline = options.pipeline.empty() ? default_pipeline_path() : options.pipeline;
    submit.output = options.output;
    submit.cache = options.cache;
    submit.publish = options.publish;
    submit.script = options.script;
    submit.spool = options.spool;
    submit.shards = static_cast<std::size_t>(options.shards);
    submit.job_name = options.job_name;
    submit.wait = options.wait;
    submit.partition = options.partition;
    submit.account = options.account;
    submit.qos = options.qos;
    submit.time_limit = options.time_limit;
    submit.cpus_per_task = options.cpus_per_task;
    std::error_code error;
    submit.executable = options.executable.empty()
                            ? fs::read_symlink("/proc/self/exe", error)
                            : fs::absolute(options.executable, error).lexically_normal();
    submit.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    submit.apply_cuts = apply_project_cuts;
    submit.sources = &sources::project_sources();
    BuildRequest checked;  // the checks the assemble task runs, validated before submitting
    attach_production_checks(checked, options.script);
    submit.validate_checks = checked.validate_checks;
    return submit;
}

int submit_to_engine(farm::FarmJob& job) {
    if (job.engine == "slurm") return farm::submit_slurm_job(job, std::cout);
    farm::save_job_record(job.spool, job.to_json());
    if (job.engine == "local") return farm::run_local_job(job, std::cout);
    if (job.engine == "opencue") return farm::submit_opencue_job(job, std::cout);
    if (job.engine == "openjd") return farm::submit_openjd_job(job, std::cout);
    std::cerr << "storyreel: unknown engine '" << job.engine << "'\n";
    return kExitUsage;
}

}  // namespace

int run_build_task_command(const BuildOptions& options, const CommonOptions& common) {
    BuildRequest request;
    request.project = options.project;
    request.pipeline = options.pipeline.empty() ? default_pipeline_path() : options.pipeline;
    request.output_dir = options.output;
    request.selection.only = options.only;
    request.cache_dir = options.cache;
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    request.apply_cuts = apply_project_cuts;
    request.sources = &sources::project_sources();
    farm::TaskSpec task;
    task.name =
        options.task.empty()
            ? (options.shard.empty() ? "build"
                                     : "shard-" + options.shard.substr(0, options.shard.find('/')))
            : options.task;
    if (!options.shard.empty()) {
        std::size_t index = 0, count = 0;
        if (!farm::parse_shard_spec(options.shard, index, count)) {
            std::cerr << "storyreel: --shard '" << options.shard
                      << "' must be I/N with 1 <= I <= N\n";
            return kExitUsage;
        }
        task.shard_index = index;
        task.shard_count = count;
    }
    task.log_format = farm::choose_log_format(options.log_format, true);
    if (const int refused = check_publish_selection(options); refused != kExitOk) return refused;
    if (options.shard.empty()) request.check_pipeline = publish_checks(options);  // it publishes
    // Shards record the boards' signatures as they conform them; the assemble task checks.
    attach_production_checks(request, options.script, options.publish);
    task.after_build = [&options](const BuildResult& result) {
        return publish_after_build(result, options);
    };
    (void)common;
    // The scheduler's cancel (SIGTERM) stops the task cleanly, removing its temporaries.
    const InterruptGuard stop_cleanly;
    return farm::run_build_task(request, task, builtin_stage_registry(), std::cerr, std::cout);
}

int run_farm_submit(const FarmOptions& options) {
    try {
        farm::FarmJob job = farm::plan_farm_job(submit_options(options), builtin_stage_registry());
        return submit_to_engine(job);
    } catch (const farm::FarmInputError& error) {
        std::cerr << "storyreel: " << error.what() << "; nothing was submitted\n";
        return kExitUsage;
    } catch (const ValidationError& error) {
        std::cerr << "storyreel: " << error.diagnostics().size()
                  << " problem(s) found; nothing was submitted:\n";
        for (const auto& item : error.diagnostics().items())
            std::cerr << "  " << item.to_string() << '\n';
        return kExitInvalidConfig;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: farm submit failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

int run_farm_status(const FarmOptions& options) {
    try {
        fs::path spool;
        const nlohmann::json record = farm::load_job_record(options.job, &spool);
        if (record.contains("slurm")) return farm::slurm_job_status(record, spool, std::cout);
        std::cout << "job " << record.value("job", "") << " (engine " << record.value("engine", "")
                  << "): storyreel does not track it; ask the scheduler it was submitted to\n";
        return kExitOk;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitUsage;
    }
}

int run_farm_cancel(const FarmOptions& options) {
    try {
        fs::path spool;
        const nlohmann::json record = farm::load_job_record(options.job, &spool);
        if (record.contains("slurm")) return farm::cancel_slurm_job(record, std::cout);
        std::cerr << "storyreel: job " << record.value("job", "") << " (engine "
                  << record.value("engine", "")
                  << ") is not one storyreel submitted to a scheduler it can cancel\n";
        return kExitUsage;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitUsage;
    }
}

namespace {

struct NightlyPlan {
    nightly::NightlyProject project;
    std::string show;
    std::vector<std::string> changed;  ///< sequences to build and publish
};

/// Validates every project first (nothing is submitted if any is invalid), then compares
/// each sequence with its published version.
std::vector<NightlyPlan> plan_nightly(const nightly::NightlyConfig& config,
                                      const StageRegistry& registry) {
    std::vector<ValidatedBuild> builds;
    Diagnostics problems;
    for (const auto& project : config.projects) {
        BuildRequest request;
        request.project = project.project;
        request.pipeline = project.pipeline;
        request.output_dir = project.output;
        request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
        request.apply_cuts = apply_project_cuts;
        request.sources = &sources::project_sources();
        try {
            builds.push_back(validate_build(request, registry));
        } catch (const ValidationError& error) {
            problems.append(error.diagnostics());
        }
    }
    if (!problems.empty()) throw ValidationError(problems);
    std::vector<NightlyPlan> plans;
    for (std::size_t i = 0; i < builds.size(); ++i) {
        NightlyPlan plan{config.projects[i], builds[i].project.show.name, {}};
        for (const auto& change :
             nightly::compare_with_published(builds[i], registry, config.publish_root)) {
            std::cout << builds[i].project.show.name << "/" << change.sequence << ": "
                      << (change.changed ? "changed (" + change.summary + ")" : change.summary)
                      << '\n';
            if (change.changed) plan.changed.push_back(change.sequence);
        }
        plans.push_back(std::move(plan));
    }
    return plans;
}

/// "<show>-nightly-<UTC time>"
std::string nightly_job_name(const std::string& show) {
    std::string name;
    for (char c : show) name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    return name + "-nightly-" + utc_time_now(kCompactUtc);
}

}  // namespace

int run_nightly(const std::string& config_file) {
    try {
        const StageRegistry registry = builtin_stage_registry();
        const nightly::NightlyConfig config = nightly::load_nightly_config(config_file);
        const auto plans = plan_nightly(config, registry);
        std::size_t submitted = 0;
        int worst = kExitOk;
        for (const auto& plan : plans) {
            if (plan.changed.empty()) continue;
            farm::SubmitOptions submit = config.submit;
            submit.project = plan.project.project;
            submit.pipeline = plan.project.pipeline;
            submit.output = plan.project.output;
            submit.publish = config.publish_root;
            submit.only = plan.changed;
            std::error_code error;
            submit.executable = fs::read_symlink("/proc/self/exe", error);
            submit.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
            submit.apply_cuts = apply_project_cuts;
            submit.sources = &sources::project_sources();
            if (submit.job_name.empty()) submit.job_name = nightly_job_name(plan.show);
            farm::FarmJob job = farm::plan_farm_job(submit, registry);
            ++submitted;
            const int code = submit_to_engine(job);
            if (code != kExitOk && worst == kExitOk) worst = code;
        }
        if (submitted == 0)
            std::cout << "nightly: nothing changed since the last published versions; nothing "
                         "submitted\n";
        else
            std::cout << "nightly: " << submitted
                      << " job(s) submitted for the changed sequences\n";
        return worst;
    } catch (const farm::FarmInputError& error) {
        std::cerr << "storyreel: " << config_file << ": " << error.what()
                  << "; nothing more was submitted\n";
        return kExitInvalidConfig;
    } catch (const ValidationError& error) {
        std::cerr << "storyreel: " << error.diagnostics().size()
                  << " problem(s) found; nothing was submitted:\n";
        for (const auto& item : error.diagnostics().items())
            std::cerr << "  " << item.to_string() << '\n';
        return kExitInvalidConfig;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: nightly failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

void add_farm_commands(CLI::App& app, Subcommands& commands) {
    auto farm = std::make_shared<FarmOptions>();
    auto* farm_command = app.add_subcommand("farm", "spread a build over a render farm");
    farm_command->require_subcommand(1);
    auto* submit_command = farm_command->add_subcommand(
        "submit", "split a build into shard and assemble tasks and submit them");
    submit_command
        ->add_option("--engine", farm->engine, "local (default), slurm, opencue or openjd")
        ->check(CLI::IsMember({"local", "slurm", "opencue", "openjd"}));
    submit_command->add_option("--project", farm->project, kProjectOptionHelp)->required();
    submit_command->add_option("--pipeline", farm->pipeline,
                               "pipeline YAML (default configs/animatic.yaml)");
    submit_command->add_option("--out", farm->output, "output folder, on storage every node sees")
        ->required();
    submit_command->add_option("--cache", farm->cache,
                               "shared shot cache (default OUT/.storyreel-cache)");
    submit_command->add_option("--publish", farm->publish,
                               "publish root handed to the assemble task");
    submit_command->add_option(
        "--script", farm->script,
        "screenplay (.fountain/.fdx) the assemble task's checks compare the cut with");
    submit_command->add_option("--shards", farm->shards, "shard tasks (default: min(shots, 8))")
        ->check(CLI::Range(1, 100000));
    submit_command->add_option("--spool", farm->spool,
                               "job files and logs (default ./farm-spool/JOB)");
    submit_command->add_option("--name", farm->job_name, "job name (default SHOW-YYYYMMDD-HHMMSS)");
    submit_command->add_option("--executable", farm->executable,
                               "the storyreel the farm nodes run (default: this one)");
    submit_command->add_flag("--wait", farm->wait,
                             "slurm: wait for the job and report how it ended");
    submit_command->add_option("--partition", farm->partition, "slurm partition");
    submit_command->add_option("--account", farm->account, "slurm account");
    submit_command->add_option("--qos", farm->qos, "slurm quality of service");
    submit_command->add_option("--time", farm->time_limit,
                               "slurm time limit per task (e.g. 30:00)");
    submit_command->add_option("--cpus-per-task", farm->cpus_per_task, "cores per task")
        ->check(CLI::Range(1, 1024));
    auto* farm_status_command =
        farm_command->add_subcommand("status", "show the state of a submitted job's tasks");
    farm_status_command->add_option("job", farm->job, "spool folder or job name")->required();
    auto* farm_cancel_command = farm_command->add_subcommand("cancel", "cancel a submitted job");
    farm_cancel_command->add_option("job", farm->job, "spool folder or job name")->required();
    auto nightly_config = std::make_shared<std::string>();
    auto* nightly_command = app.add_subcommand(
        "nightly",
        "build and publish only the sequences changed since their last published version");
    nightly_command
        ->add_option("--config", *nightly_config, "nightly YAML (see configs/nightly.yaml)")
        ->required();

    commands.push_back({submit_command, [farm] { return run_farm_submit(*farm); }});
    commands.push_back({farm_status_command, [farm] { return run_farm_status(*farm); }});
    commands.push_back({farm_cancel_command, [farm] { return run_farm_cancel(*farm); }});
    commands.push_back(
        {nightly_command, [nightly_config] { return run_nightly(*nightly_config); }});
}

}  // namespace storyreel
