#include "pipeline/utc_time.h"

#include <chrono>
#include <ctime>

namespace storyreel {

std::string utc_time_now(const char* format) {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[64];
    return std::string(text, std::strftime(text, sizeof text, format, &utc));
}

}  // namespace storyreel
