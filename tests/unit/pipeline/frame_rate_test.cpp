// Given exact frame rates and SMPTE timecode, conversions should be exact: named rates
// parse to their rationals, cumulative holds never drift, and every timecode round-trips.

#include "pipeline/frame_rate.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "pipeline/timecode.h"

namespace storyreel {
namespace {

constexpr FrameRate kFilm{24000, 1001};      // 23.976
constexpr FrameRate kNtsc{30000, 1001};      // 29.97
constexpr FrameRate kNtscHigh{60000, 1001};  // 59.94
constexpr FrameRate k24{24, 1};
constexpr FrameRate k25{25, 1};

/// Compares num and den exactly (FrameRate::operator== compares values, not spelling).
::testing::AssertionResult is_rate(const std::optional<FrameRate>& rate, std::int64_t num,
                                   std::int64_t den) {
    if (!rate) return ::testing::AssertionFailure() << "did not parse";
    if (rate->num != num || rate->den != den)
        return ::testing::AssertionFailure() << "parsed as " << rate->num << "/" << rate->den;
    return ::testing::AssertionSuccess();
}

std::int64_t frames_of(const std::string& timecode, FrameRate rate) {
    auto parsed = Timecode::parse(timecode, rate);
    EXPECT_TRUE(parsed.has_value()) << timecode << " at " << rate.to_string();
    return parsed ? parsed->frames() : -1;
}

// ---------------------------------------------------------------------------------------
// Rational

TEST(FrameRateRational, ParsesIntegersDecimalsAndFractionsExactly) {
    auto two = Rational::parse("2");
    ASSERT_TRUE(two);
    EXPECT_EQ(two->num, 2);
    EXPECT_EQ(two->den, 1);

    auto decimal = Rational::parse("2.5");
    ASSERT_TRUE(decimal);
    EXPECT_EQ(decimal->num, 5);
    EXPECT_EQ(decimal->den, 2);

    auto negative = Rational::parse("-1.25");
    ASSERT_TRUE(negative);
    EXPECT_EQ(negative->num, -5);
    EXPECT_EQ(negative->den, 4);

    auto fraction = Rational::parse("10/4");
    ASSERT_TRUE(fraction);
    EXPECT_EQ(fraction->num, 5);
    EXPECT_EQ(fraction->den, 2);

    auto millisecond = Rational::parse("0.001");
    ASSERT_TRUE(millisecond);
    EXPECT_EQ(millisecond->num, 1);
    EXPECT_EQ(millisecond->den, 1000);
}

TEST(FrameRateRational, RejectsAnythingElse) {
    for (const char* text : {"", "abc", "1/0", "1.", "1.2.3", "1e3", "1/2/3", "--1", "0x10"})
        EXPECT_FALSE(Rational::parse(text)) << "'" << text << "'";
}

// ---------------------------------------------------------------------------------------
// FrameRate::parse

TEST(FrameRate, ParsesTheEditorialRatesByName) {
    EXPECT_TRUE(is_rate(FrameRate::parse("23.976"), 24000, 1001));
    EXPECT_TRUE(is_rate(FrameRate::parse("24"), 24, 1));
    EXPECT_TRUE(is_rate(FrameRate::parse("25"), 25, 1));
    EXPECT_TRUE(is_rate(FrameRate::parse("29.97"), 30000, 1001));
    EXPECT_TRUE(is_rate(FrameRate::parse("30"), 30, 1));
    EXPECT_TRUE(is_rate(FrameRate::parse("59.94"), 60000, 1001));
}

TEST(FrameRate, ParsesNumDenAndReducesToTheNamedRate) {
    EXPECT_TRUE(is_rate(FrameRate::parse("24000/1001"), 24000, 1001));
    EXPECT_TRUE(is_rate(FrameRate::parse("30000/1001"), 30000, 1001));
    EXPECT_TRUE(is_rate(FrameRate::parse("48000/2002"), 24000, 1001));
    EXPECT_TRUE(is_rate(FrameRate::parse("50/2"), 25, 1));
    EXPECT_TRUE(is_rate(FrameRate::parse("12/1"), 12, 1));
}

TEST(FrameRate, RejectsApproximationsGarbageAndZero) {
    for (const char* text :
         {"23.9", "29.9", "abc", "0", "0/1", "1/0", "-24/1", "", "24fps", "500/1", "1/2"})
        EXPECT_FALSE(FrameRate::parse(text)) << "'" << text << "'";
}

TEST(FrameRate, NamesItselfAndItsTimecodeBase) {
    EXPECT_EQ(kFilm.to_string(), "23.976");
    EXPECT_EQ(kNtsc.to_string(), "29.97");
    EXPECT_EQ(k25.to_string(), "25");
    EXPECT_EQ((FrameRate{12, 1}).to_string(), "12");
    EXPECT_EQ(kFilm.timecode_base(), 24);
    EXPECT_EQ(kNtsc.timecode_base(), 30);
    EXPECT_EQ(kNtscHigh.timecode_base(), 60);
    EXPECT_EQ(k25.timecode_base(), 25);
    EXPECT_TRUE(kFilm.is_ntsc());
    EXPECT_FALSE(k24.is_ntsc());
    EXPECT_FALSE(kFilm == k24);
}

// ---------------------------------------------------------------------------------------
// frames_at / sample_at_frame

TEST(FrameRate, FramesAtRoundsToTheNearestFrameHalvesUp) {
    EXPECT_EQ(k24.frames_at({0, 1}), 0);
    EXPECT_EQ(k24.frames_at({1, 1}), 24);
    EXPECT_EQ(k24.frames_at({1, 48}), 1);  // exactly half a frame: up
    EXPECT_EQ(k24.frames_at({1, 49}), 0);  // just under half
    EXPECT_EQ(k25.frames_at({1, 50}), 1);  // 0.02 s at 25 is half a frame
    EXPECT_EQ(k25.frames_at({19, 1000}), 0);
    EXPECT_EQ(kFilm.frames_at({3, 2}), 36);        // 35.964
    EXPECT_EQ(kFilm.frames_at({1001, 1000}), 24);  // 1.001 s is exactly 24 frames
    EXPECT_EQ(kNtsc.frames_at({60, 1}), 1798);     // 1798.2
    EXPECT_EQ(kFilm.frames_at({3600, 1}), 86314);  // one hour: 86313.686...
}

TEST(FrameRate, CumulativeHoldsNeverDrift) {
    // Given 100 panels of 1.5 s at 23.976, each ending at the frame nearest its exact end
    // time, we should hold exactly round(150 s * 24000/1001) frames, not 100 * 36.
    const Rational hold{3, 2};
    std::int64_t previous_end = 0;
    std::int64_t sum = 0;
    int short_panels = 0;
    for (int i = 1; i <= 100; ++i) {
        const std::int64_t end = kFilm.frames_at({hold.num * i, hold.den});
        const std::int64_t held = end - previous_end;
        EXPECT_TRUE(held == 35 || held == 36) << "panel " << i << " held " << held;
        short_panels += held == 35;
        sum += held;
        previous_end = end;
    }
    EXPECT_EQ(sum, 3596);  // 150 * 24000 / 1001 = 3596.40...
    EXPECT_EQ(short_panels, 4);
}

TEST(FrameRate, SampleAtFrameIsExactAndFloors) {
    EXPECT_EQ(k24.sample_at_frame(0, 48000), 0);
    EXPECT_EQ(k24.sample_at_frame(1, 48000), 2000);
    EXPECT_EQ(k25.sample_at_frame(1, 48000), 1920);
    EXPECT_EQ(kFilm.sample_at_frame(1, 48000), 2002);
    EXPECT_EQ(kNtsc.sample_at_frame(1, 48000), 1601);    // 1601.6
    EXPECT_EQ(kNtsc.sample_at_frame(5, 48000), 8008);    // exact again every 5 frames
    EXPECT_EQ(kNtsc.sample_at_frame(-1, 48000), -1602);  // floor, also before the start
    // Timecode hour 01:00:00:00 at 23.976 (frame 86400) is 3603.6 s of real time.
    EXPECT_EQ(kFilm.sample_at_frame(86400, 48000), 172972800);
    EXPECT_EQ(kFilm.sample_at_frame(24, 44100), 44144);  // 1.001 s at 44.1 kHz: 44144.1
}

// ---------------------------------------------------------------------------------------
// Timecode

TEST(Timecode, OneHourAt24IsFrame86400) {
    EXPECT_EQ(frames_of("01:00:00:00", k24), 86400);
    EXPECT_EQ(Timecode(86400, k24, false).to_string(), "01:00:00:00");
    EXPECT_EQ(Timecode(86400, k24, false).plus(25).to_string(), "01:00:01:01");
    EXPECT_EQ(frames_of("00:00:00:23", k24), 23);
    EXPECT_EQ(frames_of("23:59:59:23", k24), 24 * 86400 - 1);
}

TEST(Timecode, At25) {
    EXPECT_EQ(frames_of("00:00:01:00", k25), 25);
    EXPECT_EQ(frames_of("10:00:00:00", k25), 900000);
    EXPECT_EQ(frames_of("00:00:00:24", k25), 24);
    EXPECT_FALSE(Timecode::parse("00:00:00:25", k25));
    EXPECT_EQ(Timecode(90061, k25, false).to_string(), "01:00:02:11");
}

TEST(Timecode, At23976IsNonDropAndCountsLike24) {
    EXPECT_EQ(frames_of("01:00:00:00", kFilm), 86400);
    EXPECT_EQ(Timecode(86400, kFilm, false).to_string(), "01:00:00:00");
    EXPECT_FALSE(Timecode::supports_drop_frame(kFilm));
    // Drop-frame does not exist at 23.976: asked for, it is ignored; written, it is refused.
    EXPECT_FALSE(Timecode(10, kFilm, true).drop_frame());
    EXPECT_EQ(Timecode(10, kFilm, true).to_string(), "00:00:00:10");
    EXPECT_FALSE(Timecode::parse("00:00:00;10", kFilm));
    EXPECT_FALSE(Timecode::parse("00:00:00:24", kFilm));
}

TEST(Timecode, At2997DropFrameSkipsTwoFrameNumbersEachMinuteButEveryTenth) {
    EXPECT_EQ(frames_of("00:00:59;29", kNtsc), 1799);
    EXPECT_EQ(frames_of("00:01:00;02", kNtsc), 1800);
    EXPECT_FALSE(Timecode::parse("00:01:00;00", kNtsc));  // dropped numbers do not exist
    EXPECT_FALSE(Timecode::parse("00:01:00;01", kNtsc));
    EXPECT_EQ(frames_of("00:09:59;29", kNtsc), 17981);
    EXPECT_EQ(frames_of("00:10:00;00", kNtsc), 17982);  // every tenth minute keeps ;00
    EXPECT_EQ(frames_of("01:00:00;00", kNtsc), 107892);

    EXPECT_EQ(Timecode(1799, kNtsc, true).to_string(), "00:00:59;29");
    EXPECT_EQ(Timecode(1800, kNtsc, true).to_string(), "00:01:00;02");
    EXPECT_EQ(Timecode(17982, kNtsc, true).to_string(), "00:10:00;00");
    EXPECT_EQ(Timecode(107892, kNtsc, true).to_string(), "01:00:00;00");
    EXPECT_TRUE(Timecode::parse("00:01:00;02", kNtsc)->drop_frame());
}

TEST(Timecode, At2997NonDropCountsThirtyFramesPerSecond) {
    EXPECT_EQ(frames_of("01:00:00:00", kNtsc), 108000);
    EXPECT_EQ(frames_of("00:01:00:00", kNtsc), 1800);
    EXPECT_EQ(Timecode(1800, kNtsc, false).to_string(), "00:01:00:00");
    EXPECT_FALSE(Timecode::parse("01:00:00:00", kNtsc)->drop_frame());
}

TEST(Timecode, At5994DropFrameSkipsFourFrameNumbers) {
    EXPECT_EQ(frames_of("00:01:00;04", kNtscHigh), 3600);
    EXPECT_FALSE(Timecode::parse("00:01:00;03", kNtscHigh));
    EXPECT_EQ(frames_of("00:10:00;00", kNtscHigh), 35964);
    EXPECT_EQ(Timecode(3600, kNtscHigh, true).to_string(), "00:01:00;04");
}

TEST(Timecode, EveryFrameRoundTrips) {
    struct Case {
        FrameRate rate;
        bool drop;
    };
    // Twelve minutes covers a whole ten-minute drop-frame cycle and the start of the next.
    for (const Case& c : {Case{k24, false}, Case{k25, false}, Case{kFilm, false},
                          Case{kNtsc, false}, Case{kNtsc, true}, Case{kNtscHigh, true}}) {
        const std::int64_t last = c.rate.frames_at({12 * 60, 1});
        int failures = 0;
        for (std::int64_t frame = 0; frame <= last && failures < 5; ++frame) {
            const std::string text = Timecode(frame, c.rate, c.drop).to_string();
            const auto back = Timecode::parse(text, c.rate);
            if (!back || back->frames() != frame || back->drop_frame() != c.drop) {
                ++failures;
                ADD_FAILURE() << "frame " << frame << " at " << c.rate.to_string()
                              << (c.drop ? " DF" : " NDF") << " wrote " << text << ", read "
                              << (back ? std::to_string(back->frames()) : "nothing");
            }
        }
    }
}

TEST(Timecode, RejectsMalformedAndOutOfRangeFields) {
    for (const char* text : {"", "aa:bb:cc:dd", "1:2:3:4", "00:00:00", "00:60:00:00", "00:00:60:00",
                             "00:00:00:24", "00:00:00:00:00", "-01:00:00:00", " 01:00:00:00"})
        EXPECT_FALSE(Timecode::parse(text, k24)) << "'" << text << "'";
    EXPECT_FALSE(Timecode::parse("00:00:00;00", k24));  // no drop-frame at 24
}

}  // namespace
}  // namespace storyreel
