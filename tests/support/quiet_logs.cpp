// Keeps libav's and spdlog's chatter out of test output (errors still show).

#include <spdlog/spdlog.h>

extern "C" {
#include <libavutil/log.h>
}

namespace {

struct QuietLogs {
    QuietLogs() {
        av_log_set_level(AV_LOG_ERROR);
        spdlog::set_level(spdlog::level::warn);
    }
} quiet_logs;

}  // namespace
