#include "pipeline/frame_rate.h"

#include <cctype>
#include <cstdint>
#include <numeric>

namespace storyreel {

namespace {

std::optional<std::int64_t> parse_digits(const std::string& text) {
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// floor(a / b) for b > 0.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if ((a % b != 0) && (a < 0)) --q;
    return q;
}

}  // namespace

std::optional<Rational> Rational::parse(const std::string& raw) {
    std::string text = raw;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
        negative = text[0] == '-';
        text.erase(0, 1);
    }
    Rational result;
    if (auto slash = text.find('/'); slash != std::string::npos) {
        auto num = parse_digits(text.substr(0, slash));
        auto den = parse_digits(text.substr(slash + 1));
        if (!num || !den || *den == 0) return std::nullopt;
        result = {*num, *den};
    } else if (auto dot = text.find('.'); dot != std::string::npos) {
        std::string whole = text.substr(0, dot);
        std::string fraction = text.substr(dot + 1);
        if (whole.empty()) whole = "0";
        if (fraction.empty() || fraction.size() > 9) return std::nullopt;
        auto w = parse_digits(whole);
        auto f = parse_digits(fraction);
        if (!w || !f) return std::nullopt;
        std::int64_t scale = 1;
        for (std::size_t i = 0; i < fraction.size(); ++i) scale *= 10;
        if (*w > (INT64_MAX - *f) / scale) return std::nullopt;  // would not fit in 64 bits
        result = {*w * scale + *f, scale};
    } else {
        auto w = parse_digits(text);
        if (!w) return std::nullopt;
        result = {*w, 1};
    }
    if (negative) result.num = -result.num;
    return result.reduced();
}

Rational Rational::reduced() const {
    std::int64_t g = std::gcd(num < 0 ? -num : num, den);
    if (g == 0) return *this;
    return {num / g, den / g};
}

std::optional<FrameRate> FrameRate::parse(const std::string& text) {
    static const struct {
        const char* name;
        FrameRate rate;
    } kNamed[] = {
        {"23.976", {24000, 1001}}, {"23.98", {24000, 1001}}, {"24", {24, 1}},
        {"25", {25, 1}},           {"29.97", {30000, 1001}}, {"30", {30, 1}},
        {"47.952", {48000, 1001}}, {"48", {48, 1}},          {"50", {50, 1}},
        {"59.94", {60000, 1001}},  {"60", {60, 1}},
    };
    for (const auto& named : kNamed)
        if (text == named.name) return named.rate;
    if (text.find('/') != std::string::npos) {
        auto value = Rational::parse(text);
        if (!value || value->num <= 0) return std::nullopt;
        FrameRate rate{value->num, value->den};
        for (const auto& named : kNamed)
            if (named.rate == rate) return named.rate;
        if (rate.as_double() < 1.0 || rate.as_double() > 120.0) return std::nullopt;
        return rate;
    }
    return std::nullopt;
}

int FrameRate::timecode_base() const { return static_cast<int>((num + den - 1) / den); }

std::string FrameRate::to_string() const {
    if (den == 1) return std::to_string(num);
    if (den == 1001) {
        switch (num) {
            case 24000:
                return "23.976";
            case 30000:
                return "29.97";
            case 48000:
                return "47.952";
            case 60000:
                return "59.94";
            default:
                break;
        }
    }
    return std::to_string(num) + "/" + std::to_string(den);
}

std::int64_t FrameRate::frames_at(Rational seconds) const {
    // frames = seconds * num / den, rounded half up: floor((2*s.num*num + s.den*den) /
    // (2*s.den*den))
    const std::int64_t numerator = 2 * seconds.num * num + seconds.den * den;
    const std::int64_t denominator = 2 * seconds.den * den;
    return floor_div(numerator, denominator);
}

std::int64_t FrameRate::sample_at_frame(std::int64_t frame, int sample_rate) const {
    // frame * den / num seconds * rate samples
    return floor_div(frame * den * sample_rate, num);
}

}  // namespace storyreel
