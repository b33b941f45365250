#include "pipeline/timecode.h"

#include <cstdio>
#include <regex>

#include "pipeline/checked_number.h"

namespace storyreel {

namespace {

int dropped_per_minute(FrameRate rate) { return rate.num == 60000 ? 4 : 2; }

}  // namespace

std::optional<Timecode> Timecode::parse(const std::string& text, FrameRate rate) {
    static const std::regex pattern(R"(^(\d{1,2}):(\d{2}):(\d{2})([:;.])(\d{2,3})$)");
    std::smatch match;
    if (!std::regex_match(text, match, pattern)) return std::nullopt;
    // A timecode is a time of day: hours 00-23 (a 25th hour does not exist, nor a 60th
    // minute or second, nor a frame number at or beyond the rate).
    const int base = rate.timecode_base();
    const auto hours = parse_integer(match[1].str(), 0, 23);
    const auto minutes = parse_integer(match[2].str(), 0, 59);
    const auto seconds = parse_integer(match[3].str(), 0, 59);
    const bool drop = match[4] == ";" || match[4] == ".";
    const auto frames = parse_integer(match[5].str(), 0, base - 1);
    if (!hours || !minutes || !seconds || !frames) return std::nullopt;
    if (drop && !supports_drop_frame(rate)) return std::nullopt;

    std::int64_t total_minutes = *hours * 60 + *minutes;
    std::int64_t count = ((total_minutes * 60) + *seconds) * base + *frames;
    if (drop) {
        const int dropped = dropped_per_minute(rate);
        if (*seconds == 0 && *frames < dropped && *minutes % 10 != 0) return std::nullopt;
        count -= dropped * (total_minutes - total_minutes / 10);
    }
    return Timecode(count, rate, drop);
}

std::int64_t Timecode::frames_per_day() const {
    const std::int64_t base = rate_.timecode_base();
    if (!drop_frame_) return base * 86400;
    const std::int64_t per_ten_minutes = base * 600 - dropped_per_minute(rate_) * 9LL;
    return per_ten_minutes * 6 * 24;
}

std::string Timecode::to_string() const {
    const int base = rate_.timecode_base();
    std::int64_t count = frames_;
    if (drop_frame_) {
        const int dropped = dropped_per_minute(rate_);
        const std::int64_t per_ten_minutes = base * 600LL - dropped * 9LL;
        const std::int64_t per_minute = base * 60LL - dropped;
        const std::int64_t tens = count / per_ten_minutes;
        std::int64_t rest = count % per_ten_minutes;
        count += dropped * 9LL * tens;
        if (rest >= dropped) count += dropped * ((rest - dropped) / per_minute);
    }
    const std::int64_t frames = count % base;
    const std::int64_t seconds = (count / base) % 60;
    const std::int64_t minutes = (count / (base * 60LL)) % 60;
    const std::int64_t hours = (count / (base * 3600LL)) % 24;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld%c%02lld",
                  static_cast<long long>(hours), static_cast<long long>(minutes),
                  static_cast<long long>(seconds), drop_frame_ ? ';' : ':',
                  static_cast<long long>(frames));
    return buffer;
}

}  // namespace storyreel
