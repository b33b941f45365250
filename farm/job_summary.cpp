#include "farm/job_summary.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/checked_number.h"
#include "pipeline/json_number.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

TaskOutcome read_outcome(const fs::path& log) {
    TaskOutcome outcome;
    outcome.task = log.stem().string();
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.front() != '{') continue;
        const auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_discarded() || !event.contains("event")) continue;
        const std::string name = event["event"].get<std::string>();
        if (name == "task-start") {
            ++outcome.attempts;
            outcome.event.clear();
        }
        if (name != "task-done" && name != "task-retry" && name != "task-failed" &&
            name != "task-stopped")
            continue;
        outcome.event = name;
        outcome.exit_code = static_cast<int>(json_integer_or(event, "exit_code", 0, 0, 255));
        outcome.message = event.value("message", "");
        if (name == "task-done") {
            std::ostringstream text;
            constexpr std::int64_t kMost = std::numeric_limits<std::int64_t>::max();
            text << json_integer_or(event, "encoded", 0, 0, kMost) << " encoded, "
                 << json_integer_or(event, "reused", 0, 0, kMost) << " reused, "
                 << json_integer_or(event, "outputs", 0, 0, kMost) << " movie(s), "
                 << event.value("seconds", 0.0) << " s";
            outcome.summary = text.str();
        }
    }
    return outcome;
}

/// shard-2 before shard-10, assemble last.
bool task_order(const TaskOutcome& a, const TaskOutcome& b) {
    auto rank = [](const std::string& task) -> std::pair<int, long> {
        if (task.rfind("shard-", 0) == 0)
            return {0, static_cast<long>(parse_integer(task.substr(6), 0, INT32_MAX).value_or(0))};
        return {1, 0};
    };
    return rank(a.task) < rank(b.task);
}

}  // namespace

std::vector<TaskOutcome> read_task_outcomes(const fs::path& spool) {
    std::vector<TaskOutcome> outcomes;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(spool / "logs", error))
        if (entry.path().extension() == ".log") outcomes.push_back(read_outcome(entry.path()));
    std::sort(outcomes.begin(), outcomes.end(), task_order);
    return outcomes;
}

const TaskOutcome* first_failure(const std::vector<TaskOutcome>& outcomes) {
    for (const auto& outcome : outcomes)
        if (outcome.event == "task-failed") return &outcome;
    return nullptr;
}

void print_outcomes(const std::vector<TaskOutcome>& outcomes, std::ostream& out) {
    for (const auto& outcome : outcomes) {
        out << "  " << outcome.task << "  ";
        if (outcome.event == "task-done")
            out << "done (" << outcome.summary << ")";
        else if (outcome.event == "task-retry")
            out << "waiting for a retry (exit 75: " << outcome.message << ")";
        else if (outcome.event == "task-failed")
            out << "FAILED (exit " << outcome.exit_code << "): " << outcome.message;
        else if (outcome.event == "task-stopped")
            out << "stopped (exit " << outcome.exit_code << "): " << outcome.message;
        else
            out << (outcome.attempts > 0 ? "running" : "not started");
        if (outcome.attempts > 1) out << " [" << outcome.attempts << " attempts]";
        out << '\n';
    }
}

}  // namespace storyreel::farm
