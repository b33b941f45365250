#pragma once
// Structured per-task logs for the farm: one JSON object per line, so a farm UI, `grep`
// or `jq` can follow a task, and `storyreel farm status` can read back how it ended.
//
//   {"time":"2026-11-24T21:03:07.412Z","task":"shard-2","shot":"sq010/sh020","event":"shot-encoded",...}
//
// Events: task-start, shot-encoded, shot-reused, log (any message), task-done,
// task-retry (transient failure, exit 75), task-failed (exit 1/2, with the message).

#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace storyreel::farm {

/// How a task writes its log lines.
enum class LogFormat { Text, Json };

/// "json" when asked, or when stderr is not a terminal and the build runs as a farm task.
LogFormat choose_log_format(const std::string& requested, bool farm_task);

class TaskLog {
  public:
    TaskLog(std::ostream& out, std::string task) : out_(out), task_(std::move(task)) {}

    const std::string& task() const { return task_; }
    /// Writes one line: time, task, shot (when not empty), event, then `fields`.
    void event(const std::string& event, const std::string& shot = {},
               const nlohmann::json& fields = nlohmann::json::object());

  private:
    std::ostream& out_;
    std::string task_;
};

/// Routes spdlog messages into `log` as "log" events (level and message), so the whole
/// stream stays one JSON object per line.
void route_spdlog_to(TaskLog& log);

/// The events of a log file that are task outcomes, last one wins: "task-done",
/// "task-retry", "task-failed" with its "message"; empty json when the task never ended.
nlohmann::json last_task_outcome(const std::string& log_text);

}  // namespace storyreel::farm
