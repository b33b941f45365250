#include "farm/slurm_engine.h"

#include <chrono>
#include <sstream>
#include <thread>

#include "farm/job_summary.h"
#include "farm/process.h"
#include "farm/slurm_queue.h"
#include "pipeline/atomic_file.h"
#include "pipeline/exit_codes.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

/// Raw shell text: the only expansions in a generated script.
constexpr const char* kArrayIndex = "\"${SLURM_ARRAY_TASK_ID}\"";
constexpr const char* kCpusPerTask = "\"${SLURM_CPUS_PER_TASK:-1}\"";

/// The script's own directives: fixed text and numbers only. Everything that comes from
/// the user (names, paths, partition ...) goes on sbatch's command line instead
/// (sbatch_options()), one argument each: sbatch reads #SBATCH lines with its own quote,
/// escape and comment rules, and a newline in a value would end the directive and start a
/// shell command. Command-line options override directives, so nothing is lost.
std::string sbatch_header(const FarmJob& job) {
    std::ostringstream text;
    text << "#!/bin/bash\n"
         << "#SBATCH --open-mode=append\n"
         << "#SBATCH --requeue\n"
         << "#SBATCH --cpus-per-task=" << job.options.cpus_per_task << "\n";
    return text.str();
}

/// `folder`/`file_pattern` as an sbatch --output pattern: a '%' of the folder is written
/// '%%' (Slurm's literal percent), so only the pattern's own %a is replaced.
std::string output_pattern(const fs::path& folder, const std::string& file_pattern) {
    const std::string text = folder.string();
    if (text.find('\\') != std::string::npos)
        throw FarmInputError(
            "the spool folder " + text +
            " holds a backslash, which turns off Slurm's file name patterns (the "
            "task logs would overwrite each other); choose a --spool without '\\'");
    std::string pattern;
    for (char c : text) pattern += c == '%' ? std::string("%%") : std::string(1, c);
    return pattern + "/" + file_pattern;
}

/// What sbatch gets on its command line for one script, before the script's path.
std::vector<std::string> sbatch_options(const FarmJob& job, const std::string& task_name,
                                        const std::string& output) {
    const SubmitOptions& options = job.options;
    std::vector<std::string> args{"--job-name=" + job.name + "-" + task_name, "--output=" + output};
    if (!options.partition.empty()) args.push_back("--partition=" + options.partition);
    if (!options.account.empty()) args.push_back("--account=" + options.account);
    if (!options.qos.empty()) args.push_back("--qos=" + options.qos);
    if (!options.time_limit.empty()) args.push_back("--time=" + options.time_limit);
    return args;
}

constexpr const char* kOptionsNote =
    "# sbatch gets this job's name, log file, partition, account, qos and time limit on its "
    "command\n"
    "# line (job.json, slurm.sbatch_args), never as directives here.\n";

void write_scripts(const FarmJob& job) {
    const std::string count = std::to_string(job.shards.size());
    std::ostringstream shards;
    shards << sbatch_header(job) << "#SBATCH --array=1-" << count << "\n"
           << kOptionsNote << "# storyreel farm job " << job.name
           << ": shard ${SLURM_ARRAY_TASK_ID} of " << count
           << ". It fills the shared shot cache only; exit 75 means 'transient, requeue me'.\n"
           << "exec " << shell_command(job.shard_args, kArrayIndex) << " --jobs " << kCpusPerTask
           << "\n";
    write_file_atomically(job.spool / "shards.sbatch", shards.str());

    std::ostringstream assemble;
    assemble
        << sbatch_header(job) << kOptionsNote << "# storyreel farm job " << job.name
        << ": assembles the movies from the shot cache (stream copy) once every shard is done.\n"
        << "exec " << shell_command(job.assemble_args) << " --jobs " << kCpusPerTask << "\n";
    write_file_atomically(job.spool / "assemble.sbatch", assemble.str());
}

/// afterok on each array task by id: survives a task's requeue, unlike afterok:<array>.
std::string dependency_on_shards(const std::string& array_job, std::size_t count) {
    std::string dependency = "afterok";
    for (std::size_t i = 1; i <= count; ++i)
        dependency += ":" + array_job + "_" + std::to_string(i);
    return dependency;
}

/// Polls until the assemble job is final (or unknown); returns its state.
std::string wait_for(const std::string& assemble_job) {
    for (;;) {
        const auto states = query_slurm_job(assemble_job);
        if (states.empty()) return "UNKNOWN";
        if (is_final_state(states.front().state)) return states.front().state;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

int report_finished(const FarmJob& job, const std::string& state, std::ostream& out) {
    const auto outcomes = read_task_outcomes(job.spool);
    print_outcomes(outcomes, out);
    if (state == "COMPLETED") {
        out << "job " << job.name << " done; movies in " << job.output.string() << '\n';
        return kExitOk;
    }
    if (const TaskOutcome* failed = first_failure(outcomes)) {
        out << "job " << job.name << " failed: " << failed->task << ": " << failed->message << '\n';
        return failed->exit_code != 0 ? failed->exit_code : kExitBuildFailed;
    }
    out << "job " << job.name << " ended " << state << "; logs in " << (job.spool / "logs").string()
        << '\n';
    return kExitBuildFailed;
}

/// A Slurm job id recorded in job.json: digits only, so a damaged or edited record cannot
/// hand scontrol/scancel an option or someone else's job pattern.
std::string recorded_job_id(const nlohmann::json& record, const char* key) {
    const auto& slurm = record.at("slurm");
    const std::string id =
        slurm.contains(key) && slurm[key].is_string() ? slurm[key].get<std::string>() : "";
    if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
        throw std::runtime_error("job.json: slurm." + std::string(key) +
                                 " is not a Slurm job id ('" + id +
                                 "'); the record is damaged: cancel the job with scancel by hand");
    return id;
}

}  // namespace

int submit_slurm_job(FarmJob& job, std::ostream& out) {
    const auto shard_options =
        sbatch_options(job, "shards", output_pattern(job.spool / "logs", "shard-%a.log"));
    auto assemble_options =
        sbatch_options(job, "assemble", output_pattern(job.spool / "logs", "assemble.log"));
    write_scripts(job);
    const std::string requeue = cluster_requeue_exit();
    if (("," + requeue + ",").find(",75,") == std::string::npos)
        out << "warning: this cluster's slurm.conf has no RequeueExit=75 (it has '" << requeue
            << "'): a task with a transient failure will fail instead of being requeued\n";
    const std::string array_job = sbatch((job.spool / "shards.sbatch").string(), shard_options);
    std::string assemble_job;
    try {
        assemble_options.insert(
            assemble_options.end(),
            {"--dependency=" + dependency_on_shards(array_job, job.shards.size()),
             "--kill-on-invalid-dep=yes"});
        assemble_job = sbatch((job.spool / "assemble.sbatch").string(), assemble_options);
    } catch (...) {
        run_process({"scancel", array_job});
        throw;
    }
    nlohmann::json record = job.to_json();
    record["slurm"] = {
        {"array_job", array_job},
        {"assemble_job", assemble_job},
        {"sbatch_args", {{"shards", shard_options}, {"assemble", assemble_options}}}};
    save_job_record(job.spool, record);
    out << "job " << job.name << ": submitted to Slurm: shards " << array_job << "_[1-"
        << job.shards.size() << "], assemble " << assemble_job << "\n"
        << "spool: " << job.spool.string() << "\n";
    if (!job.options.wait) return kExitOk;
    return report_finished(job, wait_for(assemble_job), out);
}

int slurm_job_status(const nlohmann::json& record, const fs::path& spool, std::ostream& out) {
    const std::string array_job = recorded_job_id(record, "array_job");
    const std::string assemble_job = recorded_job_id(record, "assemble_job");
    try {
        auto states = query_slurm_job(array_job);
        const auto assemble = query_slurm_job(assemble_job);
        states.insert(states.end(), assemble.begin(), assemble.end());
        out << "job " << record.value("job", "") << " (Slurm " << array_job << ", " << assemble_job
            << ")\n";
        for (const auto& state : states)
            out << "  " << state.id << "  " << state.state << "  exit " << state.exit_code
                << (state.restarts > 0 ? "  requeued " + std::to_string(state.restarts) + "x" : "")
                << (state.state == "PENDING" ? "  (" + state.reason + ")" : "") << '\n';
        const std::string overall = assemble.empty()
                                        ? "UNKNOWN (Slurm forgot the job; see the task logs)"
                                        : assemble.front().state;
        out << "state: " << overall << "\ntasks, from their logs:\n";
        print_outcomes(read_task_outcomes(spool), out);
        return kExitOk;
    } catch (const std::exception& error) {
        out << "cannot ask Slurm: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

int cancel_slurm_job(const nlohmann::json& record, std::ostream& out) {
    const std::string array_job = recorded_job_id(record, "array_job");
    const std::string assemble_job = recorded_job_id(record, "assemble_job");
    const ProcessOutput result = run_process({"scancel", assemble_job, array_job});
    if (result.exit_code != 0) {
        out << "scancel failed: " << first_line(result.err + result.out) << '\n';
        return kExitBuildFailed;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        bool active = false;
        for (const auto& id : {array_job, assemble_job})
            for (const auto& state : query_slurm_job(id))
                active = active || !is_final_state(state.state);
        if (!active) break;
        if (std::chrono::steady_clock::now() > deadline) {
            out << "job " << record.value("job", "")
                << ": cancel requested; tasks still stopping\n";
            return kExitBuildFailed;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    out << "job " << record.value("job", "") << " cancelled (Slurm " << array_job << ", "
        << assemble_job
        << "); no movie was replaced: outputs only take their final names when the assemble task "
           "completes\n";
    return kExitOk;
}

}  // namespace storyreel::farm
