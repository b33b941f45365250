#include "farm/task_log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <mutex>
#include <sstream>

namespace storyreel::farm {

namespace {

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    return text;
}

/// A spdlog sink writing "log" events.
class TaskLogSink : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit TaskLogSink(TaskLog& log) : log_(log) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
        const auto level = spdlog::level::to_string_view(message.level);
        log_.event("log", {},
                   {{"level", std::string(level.data(), level.size())},
                    {"message", std::string(message.payload.data(), message.payload.size())}});
    }
    void flush_() override {}

  private:
    TaskLog& log_;
};

}  // namespace

LogFormat choose_log_format(const std::string& requested, bool farm_task) {
    if (requested == "json") return LogFormat::Json;
    if (requested == "text") return LogFormat::Text;
    return farm_task && !::isatty(STDERR_FILENO) ? LogFormat::Json : LogFormat::Text;
}

void TaskLog::event(const std::string& event, const std::string& shot,
                    const nlohmann::json& fields) {
    nlohmann::ordered_json line = {{"time", utc_now()}, {"task", task_}};
    if (!shot.empty()) line["shot"] = shot;
    line["event"] = event;
    for (const auto& [key, value] : fields.items()) line[key] = value;
    out_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    out_.flush();
}

void route_spdlog_to(TaskLog& log) {
    auto logger = std::make_shared<spdlog::logger>("storyreel", std::make_shared<TaskLogSink>(log));
    logger->set_level(spdlog::default_logger()->level());
    spdlog::set_default_logger(logger);
}

nlohmann::json last_task_outcome(const std::string& log_text) {
    nlohmann::json outcome;
    std::istringstream lines(log_text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line.front() != '{') continue;
        const auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_discarded() || !event.contains("event")) continue;
        const std::string name = event["event"].get<std::string>();
        if (name == "task-done" || name == "task-retry" || name == "task-failed" ||
            name == "task-stopped")
            outcome = event;
    }
    return outcome;
}

}  // namespace storyreel::farm
