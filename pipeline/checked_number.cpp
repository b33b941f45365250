#include "pipeline/checked_number.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace storyreel {

namespace {

/// from_chars takes no '+': skip one, but not before another sign.
std::string_view without_plus(std::string_view text) {
    if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+')
        text.remove_prefix(1);
    return text;
}

/// The text as a message shows it: at most 40 characters, the rest counted.
std::string shown(std::string_view text) {
    constexpr std::size_t kShown = 40;
    if (text.size() <= kShown) return std::string(text);
    return std::string(text.substr(0, kShown)) + "... (" + std::to_string(text.size()) +
           " characters)";
}

std::string number_text(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

}  // namespace

std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max) {
    text = without_plus(text);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    if (value < min || value > max) return std::nullopt;
    return value;
}

std::optional<double> parse_real(std::string_view text, double min, double max) {
    text = without_plus(text);
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    if (!std::isfinite(value) || value < min || value > max) return std::nullopt;
    return value;
}

std::string range_text(std::int64_t min, std::int64_t max) {
    return "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
}

std::string range_text(double min, double max) {
    return "a number from " + number_text(min) + " to " + number_text(max);
}

Diagnostic number_problem(std::string_view text, const std::string& range,
                          const NumberPlace& place) {
    return {place.where, place.subject,
            (place.field.empty() ? std::string() : "'" + place.field + "': ") + "'" + shown(text) +
                "' is not " + range,
            "write " + range};
}

std::int64_t checked_integer(std::string_view text, std::int64_t min, std::int64_t max,
                             const NumberPlace& place) {
    if (auto value = parse_integer(text, min, max)) return *value;
    throw NumberError(number_problem(text, range_text(min, max), place));
}

double checked_real(std::string_view text, double min, double max, const NumberPlace& place) {
    if (auto value = parse_real(text, min, max)) return *value;
    throw NumberError(number_problem(text, range_text(min, max), place));
}

double checked_real(double value, double min, double max, const NumberPlace& place) {
    if (std::isfinite(value) && value >= min && value <= max) return value;
    throw NumberError(number_problem(number_text(value), range_text(min, max), place));
}

}  // namespace storyreel
