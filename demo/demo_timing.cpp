#include "demo/demo_timing.h"

#include <cctype>
#include <stdexcept>

namespace storyreel::demo {

namespace {

bool all_digits(const std::string& text) {
    if (text.empty() || text.size() > 9) return false;
    for (char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

DemoFrameRate DemoFrameRate::parse(const std::string& text) {
    static const struct {
        const char* name;
        DemoFrameRate rate;
    } kNtsc[] = {{"23.976", {24000, 1001}},
                 {"29.97", {30000, 1001}},
                 {"47.952", {48000, 1001}},
                 {"59.94", {60000, 1001}}};
    for (const auto& named : kNtsc)
        if (text == named.name) return named.rate;
    // At most six digits: no frame rate needs more, and std::stoll cannot overflow.
    const auto small_number = [](const std::string& digits) {
        return all_digits(digits) && digits.size() <= 6;
    };
    if (small_number(text) && std::stoll(text) > 0) return {std::stoll(text), 1};
    if (auto slash = text.find('/'); slash != std::string::npos) {
        const std::string num = text.substr(0, slash);
        const std::string den = text.substr(slash + 1);
        if (small_number(num) && small_number(den) && std::stoll(num) > 0 && std::stoll(den) > 0)
            return {std::stoll(num), std::stoll(den)};
    }
    throw std::invalid_argument("demo frame_rate '" + text +
                                "' is not supported: use 23.976, 29.97, 47.952, 59.94, a whole "
                                "number such as 24 or 25, or num/den");
}

}  // namespace storyreel::demo
