// Whole numbers read back from JSON storyreel wrote (pipeline/json_number.h): a hand-edited
// record holding a string, a fraction or 1e300 where a count was written is refused, never
// converted out of range, and the records that read them treat such a file as damaged.

#include "pipeline/json_number.h"

#include <gtest/gtest.h>

#include <limits>

#include "pipeline/file_stamp.h"
#include "pipeline/shot_record.h"

namespace storyreel {
namespace {

using nlohmann::json;
constexpr auto kMost = std::numeric_limits<std::int64_t>::max();
constexpr auto kLeast = std::numeric_limits<std::int64_t>::min();

TEST(JsonNumber, AcceptsWholeNumbersWithinTheRangeHoweverTheyAreWritten) {
    EXPECT_EQ(json_integer(json::parse("42"), 0, 100), 42);
    EXPECT_EQ(json_integer(json::parse("-7"), -10, 0), -7);
    EXPECT_EQ(json_integer(json::parse("3.0"), 0, 10), 3);  // another writer's whole number
    EXPECT_EQ(json_integer(json::parse("9223372036854775807"), kLeast, kMost), kMost);
    EXPECT_EQ(json_unsigned(json::parse("18446744073709551615")),
              std::numeric_limits<std::uint64_t>::max());
}

TEST(JsonNumber, RefusesWhatWouldConvertOutOfRangeOrLoseAFraction) {
    for (const char* text : {"1e300", "-1e300", "9223372036854775808", "9.3e18", "2.5", "\"12\"",
                             "null", "true", "[1]", "{}"})
        EXPECT_FALSE(json_integer(json::parse(text), kLeast, kMost)) << text;
    EXPECT_FALSE(json_integer(json::parse("101"), 0, 100));
    EXPECT_FALSE(json_integer(json::parse("-1"), 0, 100));
    for (const char* text : {"-1", "-1.0", "1e300", "0.5", "\"7\""})
        EXPECT_FALSE(json_unsigned(json::parse(text))) << text;
}

TEST(JsonNumber, MembersNameTheKeyOrFallBack) {
    const json object = json::parse(R"({"frames": 1e300, "version": "two", "count": 3})");
    try {
        json_integer_at(object, "frames", 0, kMost);
        FAIL() << "1e300 frames accepted";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("\"frames\""), std::string::npos) << error.what();
    }
    EXPECT_THROW(json_unsigned_at(object, "missing"), std::runtime_error);
    EXPECT_EQ(json_integer_or(object, "version", 0, 0, 1000), 0);
    EXPECT_EQ(json_integer_or(object, "count", 0, 0, 1000), 3);
    EXPECT_EQ(json_integer_or(json::parse("[1, 2]"), "count", -1, 0, 1000), -1);
}

TEST(JsonNumber, DamagedRecordsAreRefusedNotConverted) {
    EXPECT_FALSE(FileStamp::from_json(
        json::parse(R"({"size": 1e300, "mtime_ns": 1, "ctime_ns": 1, "inode": 5})")));
    EXPECT_FALSE(FileStamp::from_json(
        json::parse(R"({"size": 10, "mtime_ns": -1e300, "ctime_ns": 1, "inode": 5})")));
    EXPECT_TRUE(FileStamp::from_json(
        json::parse(R"({"size": 10, "mtime_ns": -5, "ctime_ns": 1, "inode": 5})")));
    const json shot = json::parse(
        R"({"settings": "s", "panels": [{"name": "p", "hash": "h", "frames": 1e300}]})");
    EXPECT_THROW(ShotIngredients::from_json(shot), std::runtime_error);
}

}  // namespace
}  // namespace storyreel
