// Given numbers as they come in files (hundreds of digits, signs, NaN, infinities, text,
// nothing), the checked parsers should give the number only when it is one and within the
// field's range, and otherwise a message naming the file, line and field: never an
// exception from the standard library, a wrapped value or a crash. Timecodes are times of
// day, and the pure limit checks (JSON depth, board size) answer in microseconds.

#include "pipeline/checked_number.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>

#include "pipeline/exit_codes.h"
#include "pipeline/frame_rate.h"
#include "pipeline/input_limits.h"
#include "pipeline/last_resort.h"
#include "pipeline/timecode.h"

namespace storyreel {
namespace {

const std::string kHundredsOfDigits(300, '9');

TEST(CheckedNumber, ParsesWholeNumbersWithinTheRange) {
    EXPECT_EQ(parse_integer("42", 0, 100), 42);
    EXPECT_EQ(parse_integer("-7", -10, 10), -7);
    EXPECT_EQ(parse_integer("+3", 0, 10), 3);
    EXPECT_EQ(parse_integer("007", 0, 10), 7);
    EXPECT_EQ(parse_integer("9223372036854775807", 0, INT64_MAX), INT64_MAX);
    EXPECT_EQ(parse_integer("-9223372036854775808", INT64_MIN, 0), INT64_MIN);
}

TEST(CheckedNumber, RefusesEverythingElseWithoutThrowing) {
    for (const std::string& text :
         {std::string(), std::string(" 1"), std::string("1 "), std::string("1.5"),
          std::string("1e3"), std::string("0x10"), std::string("++1"), std::string("+-1"),
          std::string("-"), std::string("+"), std::string("ten"), std::string("12abc"),
          kHundredsOfDigits, "-" + kHundredsOfDigits, std::string("9223372036854775808"),
          std::string("nan")})
        EXPECT_EQ(parse_integer(text, INT64_MIN, INT64_MAX), std::nullopt) << "'" << text << "'";
    EXPECT_EQ(parse_integer("101", 0, 100), std::nullopt);
    EXPECT_EQ(parse_integer("-1", 0, 100), std::nullopt);
}

TEST(CheckedNumber, ParsesFiniteRealsWithinTheRange) {
    EXPECT_DOUBLE_EQ(*parse_real("2.5", 0, 10), 2.5);
    EXPECT_DOUBLE_EQ(*parse_real("-1e3", -1e4, 0), -1000);
    EXPECT_DOUBLE_EQ(*parse_real("+.5", 0, 1), 0.5);
    EXPECT_DOUBLE_EQ(*parse_real("24", 0, 100), 24);
}

TEST(CheckedNumber, RefusesNaNInfinitiesOverflowAndText) {
    const double any = std::numeric_limits<double>::max();
    for (const std::string& text :
         {std::string("nan"), std::string("NaN"), std::string(".nan"), std::string("inf"),
          std::string("-inf"), std::string(".inf"), std::string("1e400"),
          "1" + kHundredsOfDigits + kHundredsOfDigits, std::string(""), std::string("1,5"),
          std::string("0x1p3"), std::string("2.5 ")})
        EXPECT_EQ(parse_real(text, -any, any), std::nullopt) << "'" << text << "'";
    EXPECT_EQ(parse_real("48.5", -120, 48), std::nullopt);
}

TEST(CheckedNumber, ARefusedNumberNamesFileLineFieldAndRange) {
    const NumberPlace place{{"cut.edl", 12, 30}, "cut event 004", "transition length (frames)"};
    try {
        checked_integer(kHundredsOfDigits, 0, 48, place);
        FAIL() << "accepted a number with 300 digits";
    } catch (const NumberError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("cut.edl:12:30"), std::string::npos) << message;
        EXPECT_NE(message.find("cut event 004"), std::string::npos) << message;
        EXPECT_NE(message.find("transition length"), std::string::npos) << message;
        EXPECT_NE(message.find("from 0 to 48"), std::string::npos) << message;
        EXPECT_NE(message.find("(300 characters)"), std::string::npos)
            << "long text is cut: " << message;
        EXPECT_LT(message.size(), 400u) << message;
    }
    EXPECT_THROW(checked_real("nan", 0, 1, place), NumberError);
    EXPECT_THROW(checked_real(std::nan(""), 0, 1, place), NumberError);
    EXPECT_THROW(checked_real(HUGE_VAL, 0, 1, place), NumberError);
    EXPECT_DOUBLE_EQ(checked_real(0.25, 0, 1, place), 0.25);
    EXPECT_EQ(checked_integer("12", 0, 48, place), 12);
}

TEST(CheckedNumber, ANumberErrorIsABuildErrorCarryingItsDiagnostic) {
    try {
        checked_integer("x", 1, 2, {{"f.yaml", 3, 0}, "panel a/b/c", "frames"});
    } catch (const BuildError& error) {
        EXPECT_EQ(error.diagnostic().where.line, 3);
        EXPECT_EQ(error.diagnostic().subject, "panel a/b/c");
        return;
    }
    FAIL() << "no BuildError";
}

TEST(TimecodeRange, RefusesAnHourOf25AndFieldsBeyondTheirRange) {
    const FrameRate rate{24, 1};
    EXPECT_FALSE(Timecode::parse("25:00:00:00", rate));
    EXPECT_FALSE(Timecode::parse("24:00:00:00", rate));
    EXPECT_FALSE(Timecode::parse("99:00:00:00", rate));
    EXPECT_FALSE(Timecode::parse("01:60:00:00", rate));
    EXPECT_FALSE(Timecode::parse("01:00:60:00", rate));
    EXPECT_FALSE(Timecode::parse("01:00:00:24", rate));
    EXPECT_FALSE(Timecode::parse("01:00:00:999", rate));
    ASSERT_TRUE(Timecode::parse("23:59:59:23", rate));
    EXPECT_EQ(Timecode::parse("23:59:59:23", rate)->frames(), 24LL * 86400 - 1);
}

TEST(RationalRange, RefusesSecondsThatWouldOverflowInsteadOfWrapping) {
    EXPECT_FALSE(Rational::parse("999999999999999.999999999"));
    EXPECT_FALSE(Rational::parse(kHundredsOfDigits));
    ASSERT_TRUE(Rational::parse("9999999.5"));
    EXPECT_EQ(Rational::parse("9999999.5")->num, 19999999);
}

TEST(JsonDepth, FindsTheFirstBracketDeeperThanTheLimit) {
    EXPECT_EQ(json_too_deep_at(R"({"a": [1, {"b": [2]}]})", 4), std::nullopt);
    EXPECT_EQ(json_too_deep_at(R"({"a": [1, {"b": [2]}]})", 3), 16u);
    // Brackets inside strings (and escaped quotes) do not nest.
    EXPECT_EQ(json_too_deep_at(R"({"a": "[[[[\"[[[[", "b": 1})", 1), std::nullopt);
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(json_too_deep_at(deep, 64), 64u);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST(BoardSizeLimit, RefusesBoardsOverTheSideOrPixelLimitNamingTheLimit) {
    const InputLimits limits;
    EXPECT_EQ(board_size_problem(16384, 6000, limits), "");
    EXPECT_NE(board_size_problem(16385, 16, limits).find("max_board_side"), std::string::npos);
    EXPECT_NE(board_size_problem(12000, 9000, limits).find("max_board_megapixels"),
              std::string::npos);
    EXPECT_NE(board_size_problem(0, 10, limits), "");
    InputLimits raised;
    raised.max_board_megapixels = 200;
    EXPECT_EQ(board_size_problem(12000, 9000, raised), "");
}

TEST(LastResort, AnEscapingExceptionBecomesAMessageAndExit70) {
    ::testing::internal::CaptureStderr();
    const int code = run_with_last_resort([]() -> int { throw std::out_of_range("stoll"); });
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(code, kExitInternalError);
    EXPECT_EQ(kExitInternalError, 70);
    EXPECT_EQ(err, "storyreel: internal error: stoll (please report)\n");
    EXPECT_EQ(run_with_last_resort([] { return 3; }), 3);
}

TEST(LastResortDeathTest, AnExceptionEscapingAThreadExits70WithAMessage) {
    EXPECT_EXIT(
        {
            install_last_resort_terminate();
            std::thread([] { throw std::runtime_error("escaped a worker"); }).join();
        },
        ::testing::ExitedWithCode(70),
        "storyreel: internal error: escaped a worker \\(please report\\)");
}

}  // namespace
}  // namespace storyreel
