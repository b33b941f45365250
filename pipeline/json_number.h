#pragma once
// Whole numbers read back from JSON files storyreel wrote (cache records, build logs, board
// signatures, published manifests, an editor's pull state, farm task events). The files are
// the user's to edit, so a field may hold a string, a fraction or 1e300 where storyreel wrote
// a count: nlohmann's get<int>() would throw a type_error naming no file for the first and
// convert the others out of range (undefined behaviour). Read through these instead; the
// caller says what an unusable value means (a damaged record, a default for display).

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace storyreel {

/// `value` as a whole number within [min, max]: a JSON integer, or a floating-point number
/// with no fraction (another JSON writer may print 3.0); nullopt for anything else.
std::optional<std::int64_t> json_integer(const nlohmann::json& value, std::int64_t min,
                                         std::int64_t max);

/// `value` as an unsigned whole number up to `max` (sizes, inode numbers), the same way.
std::optional<std::uint64_t> json_unsigned(
    const nlohmann::json& value, std::uint64_t max = std::numeric_limits<std::uint64_t>::max());

/// Member `key` of `object` through json_integer(); throws std::runtime_error naming the
/// key and the range when it is missing or unusable (readers of damaged records catch it).
std::int64_t json_integer_at(const nlohmann::json& object, const std::string& key, std::int64_t min,
                             std::int64_t max);

/// Member `key` of `object` through json_unsigned(), throwing like json_integer_at().
std::uint64_t json_unsigned_at(const nlohmann::json& object, const std::string& key);

/// Member `key` of `object` through json_integer(), or `fallback` when `object` is not an
/// object or the member is missing or unusable (values shown to a person, never trusted).
std::int64_t json_integer_or(const nlohmann::json& object, const std::string& key,
                             std::int64_t fallback, std::int64_t min, std::int64_t max);

}  // namespace storyreel
