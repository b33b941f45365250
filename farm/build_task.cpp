#include "farm/build_task.h"

#include <spdlog/spdlog.h>

#include "farm/failure_kind.h"
#include "farm/shard_plan.h"
#include "pipeline/exit_codes.h"
#include "pipeline/interruption.h"

namespace storyreel::farm {

namespace {

/// Writes events in JSON mode; stays silent in text mode (spdlog already talks).
class TaskEvents {
  public:
    TaskEvents(std::ostream& out, const TaskSpec& task)
        : log_(out, task.name), json_(task.log_format == LogFormat::Json) {
        if (json_) route_spdlog_to(log_);
    }
    void operator()(const std::string& event, const std::string& shot = {},
                    const nlohmann::json& fields = nlohmann::json::object()) {
        if (json_) log_.event(event, shot, fields);
    }
    bool json() const { return json_; }

  private:
    TaskLog log_;
    bool json_;
};

struct TaskTally {
    std::size_t encoded = 0, reused = 0, outputs = 0;
    double seconds = 0;
};

TaskTally report_result(const BuildResult& result, TaskEvents& events) {
    TaskTally tally;
    for (const auto& shot : result.shots) {
        std::string reasons;
        for (const auto& reason : shot.reasons) reasons += (reasons.empty() ? "" : "; ") + reason;
        events(shot.reused ? "shot-reused" : "shot-encoded", shot.shot,
               {{"stage", shot.stage}, {"key", shot.key}, {"reason", reasons}});
        (shot.reused ? tally.reused : tally.encoded) += 1;
    }
    for (const auto& output : result.outputs)
        events("output", {}, {{"path", output.path.string()}, {"frames", output.frame_count}});
    tally.outputs = result.outputs.size();
    tally.seconds = result.seconds;
    return tally;
}

int fail(TaskEvents& events, std::ostream& summary, const TaskSpec& task, int code,
         const std::string& message) {
    const char* event = code == kExitRetry ? "task-retry" : "task-failed";
    events(event, {}, {{"exit_code", code}, {"message", message}});
    if (!events.json()) spdlog::error("{}", message);
    summary << "task " << task.name
            << (code == kExitRetry ? " hit a transient problem (exit 75, run it again): "
                                   : " failed: ")
            << message << '\n';
    return code;
}

}  // namespace

std::optional<BuildRequest> shard_request(const BuildRequest& whole, std::size_t index,
                                          std::size_t count, const StageRegistry& registry) {
    const ValidatedBuild build = validate_build(whole, registry);
    const auto shards = split_into_shards(estimate_shot_costs(build.plan), count);
    if (index < 1 || index > shards.size()) return std::nullopt;
    BuildRequest request = whole;
    request.selection.only = shards[index - 1].shots;
    request.cache_only = true;
    return request;
}

int run_build_task(const BuildRequest& whole, const TaskSpec& task, const StageRegistry& registry,
                   std::ostream& log_stream, std::ostream& summary) {
    TaskEvents events(log_stream, task);
    nlohmann::json start = {{"project", whole.project.string()},
                            {"cache", whole.cache_dir.string()}};
    if (task.shard_index)
        start["shard"] = std::to_string(*task.shard_index) + "/" + std::to_string(task.shard_count);
    events("task-start", {}, start);
    try {
        std::optional<BuildRequest> request = whole;
        if (task.shard_index)
            request = shard_request(whole, *task.shard_index, task.shard_count, registry);
        if (!request) {
            events("task-done", {}, {{"shots", 0}, {"note", "no shots in this shard"}});
            summary << "task " << task.name
                    << ": no shots in this shard (the project has fewer shots)\n";
            return kExitOk;
        }
        const BuildResult result = run_build(*request, registry);
        const TaskTally tally = report_result(result, events);
        if (!task.shard_index && task.after_build)
            if (const int code = task.after_build(result); code != kExitOk)
                return fail(
                    events, summary, task, code,
                    "the build succeeded but what follows it (publishing) failed with exit " +
                        std::to_string(code) + "; see the messages before this one");
        events("task-done", {},
               {{"encoded", tally.encoded},
                {"reused", tally.reused},
                {"outputs", tally.outputs},
                {"seconds", tally.seconds}});
        summary << "task " << task.name << ": " << tally.encoded + tally.reused << " shot encodes ("
                << tally.encoded << " encoded, " << tally.reused << " reused from the cache), "
                << tally.outputs << " movie(s), " << tally.seconds << " s\n";
        return kExitOk;
    } catch (const BuildInterrupted& stopped) {
        events("task-stopped", {},
               {{"exit_code", stopped.exit_code()},
                {"signal", stopped.signal()},
                {"message", stopped.what()}});
        summary << "task " << task.name << ": " << stopped.what()
                << " (its temporary files were removed)\n";
        return stopped.exit_code();
    } catch (const ValidationError& error) {
        return fail(
            events, summary, task, kExitInvalidConfig,
            std::to_string(error.diagnostics().size()) + " problem(s) found:\n" + error.what());
    } catch (const std::exception& error) {
        const std::filesystem::path cache =
            whole.cache_dir.empty() ? whole.output_dir / ".storyreel-cache" : whole.cache_dir;
        const int code = exit_code_for_failure(error, cache);
        return fail(events, summary, task, code,
                    code == kExitInternalError
                        ? std::string("internal error: ") + error.what() + " (please report)"
                        : std::string("build failed: ") + error.what());
    }
}

}  // namespace storyreel::farm
