#include "pipeline/json_number.h"

#include <cmath>
#include <stdexcept>

namespace storyreel {

namespace {

/// A double holding a whole number that converts to int64_t without leaving its range
/// (2^63 itself is a double; everything below it converts exactly).
std::optional<std::int64_t> whole(double number) {
    constexpr double kTwoTo63 = 9223372036854775808.0;
    if (!(number >= -kTwoTo63 && number < kTwoTo63) || std::floor(number) != number)
        return std::nullopt;
    return static_cast<std::int64_t>(number);
}

}  // namespace

std::optional<std::int64_t> json_integer(const nlohmann::json& value, std::int64_t min,
                                         std::int64_t max) {
    std::optional<std::int64_t> number;
    if (value.is_number_unsigned()) {
        const auto unsigned_number = value.get<std::uint64_t>();
        if (unsigned_number <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            number = static_cast<std::int64_t>(unsigned_number);
    } else if (value.is_number_integer()) {
        number = value.get<std::int64_t>();
    } else if (value.is_number_float()) {
        number = whole(value.get<double>());
    }
    if (!number || *number < min || *number > max) return std::nullopt;
    return number;
}

std::optional<std::uint64_t> json_unsigned(const nlohmann::json& value, std::uint64_t max) {
    std::optional<std::uint64_t> number;
    if (value.is_number_unsigned()) {
        number = value.get<std::uint64_t>();
    } else if (value.is_number_integer() || value.is_number_float()) {
        if (const auto signed_number =
                json_integer(value, 0, std::numeric_limits<std::int64_t>::max()))
            number = static_cast<std::uint64_t>(*signed_number);
    }
    if (!number || *number > max) return std::nullopt;
    return number;
}

std::int64_t json_integer_at(const nlohmann::json& object, const std::string& key, std::int64_t min,
                             std::int64_t max) {
    if (object.is_object())
        if (const auto found = object.find(key); found != object.end())
            if (const auto number = json_integer(*found, min, max)) return *number;
    throw std::runtime_error("\"" + key + "\" is not a whole number from " + std::to_string(min) +
                             " to " + std::to_string(max));
}

std::uint64_t json_unsigned_at(const nlohmann::json& object, const std::string& key) {
    if (object.is_object())
        if (const auto found = object.find(key); found != object.end())
            if (const auto number = json_unsigned(*found)) return *number;
    throw std::runtime_error("\"" + key + "\" is not a whole number from 0");
}

std::int64_t json_integer_or(const nlohmann::json& object, const std::string& key,
                             std::int64_t fallback, std::int64_t min, std::int64_t max) {
    if (!object.is_object()) return fallback;
    const auto found = object.find(key);
    if (found == object.end()) return fallback;
    return json_integer(*found, min, max).value_or(fallback);
}

}  // namespace storyreel
