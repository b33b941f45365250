#include "farm/local_engine.h"

#include <algorithm>
#include <map>
#include <thread>

#include "farm/job_summary.h"
#include "farm/process.h"
#include "pipeline/exit_codes.h"

namespace storyreel::farm {

namespace {

struct RunningTask {
    std::string name;
    std::vector<std::string> args;
    int attempts = 0;
};

/// Runs `tasks`, at most `parallel` at once, retrying exit 75; returns the first
/// permanent failure's exit code (0 when all succeeded). Stops starting new tasks after
/// a permanent failure.
int run_tasks(const FarmJob& job, std::vector<RunningTask> tasks, std::size_t parallel) {
    std::map<pid_t, RunningTask> running;
    std::size_t next = 0;
    int failure = kExitOk;
    auto start = [&](RunningTask task) {
        ++task.attempts;
        const pid_t pid = start_logged_process(task.args, job.log_file(task.name));
        running.emplace(pid, std::move(task));
    };
    while (next < tasks.size() || !running.empty()) {
        while (failure == kExitOk && next < tasks.size() && running.size() < parallel)
            start(tasks[next++]);
        if (running.empty()) break;
        int code = 0;
        const pid_t pid = wait_any_child(code);
        auto found = running.find(pid);
        if (found == running.end()) continue;
        RunningTask task = std::move(found->second);
        running.erase(found);
        if (code == kExitRetry && task.attempts <= job.options.max_retries && failure == kExitOk)
            start(std::move(task));
        else if (code != kExitOk && failure == kExitOk)
            failure = code;
    }
    return failure;
}

}  // namespace

int run_local_job(const FarmJob& job, std::ostream& out) {
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t parallel = std::min(job.shards.size(), cores);
    const std::string jobs_per_task =
        std::to_string(std::max<std::size_t>(1, cores / std::max<std::size_t>(parallel, 1)));
    std::vector<RunningTask> shards;
    for (std::size_t i = 1; i <= job.shards.size(); ++i) {
        auto args = job.shard_command(std::to_string(i));
        args.insert(args.end(), {"--jobs", jobs_per_task});
        shards.push_back({"shard-" + std::to_string(i), std::move(args), 0});
    }
    out << "job " << job.name << ": " << job.shards.size() << " shard(s) on this machine, "
        << parallel << " at a time\n";
    int code = run_tasks(job, std::move(shards), parallel);
    if (code == kExitOk) code = run_tasks(job, {{"assemble", job.assemble_args, 0}}, 1);
    const auto outcomes = read_task_outcomes(job.spool);
    print_outcomes(outcomes, out);
    if (code != kExitOk) {
        if (const TaskOutcome* failed = first_failure(outcomes))
            out << "job " << job.name << " failed: " << failed->task << ": " << failed->message
                << '\n';
        else
            out << "job " << job.name << " failed (exit " << code << "); logs in "
                << job.spool.string() << "/logs\n";
        return code;
    }
    out << "job " << job.name << " done; movies in " << job.output.string() << '\n';
    return kExitOk;
}

}  // namespace storyreel::farm
