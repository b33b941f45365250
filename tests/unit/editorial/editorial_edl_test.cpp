// Given a cut-list timeline at the editorial rates, the CMX3600 EDL we write should keep
// CMX3600's columns on every line, say drop/non-drop right, carry one event per panel plus
// the audio on AA, and read back to the same cut.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "editorial/editorial_cut.h"
#include "editorial/edl_writer.h"
#include "tests/support/interchange_readers.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// Five panels of uneven holds, the 3rd with dialogue, starting at `start`.
CutListTimeline sample_timeline(const std::string& rate_text, const std::string& start_text,
                                bool drop_frame) {
    CutListTimeline timeline;
    timeline.rate = *FrameRate::parse(rate_text);
    timeline.start = *Timecode::parse(start_text, timeline.rate);
    timeline.start = Timecode(timeline.start.frames(), timeline.rate, drop_frame);
    timeline.title = "Show sq010";
    timeline.unit = "sq010";
    timeline.width = 320;
    timeline.height = 180;
    timeline.movie = {"/out/sq010_prores.mov", "sq010", true};
    const std::int64_t holds[] = {17, 1, 48, 29, 95};
    std::int64_t at = 0;
    int n = 0;
    for (std::int64_t hold : holds) {
        ++n;
        CutListClip clip{"sq010/sh0" + std::to_string(n) + "0/p001",
                         "/boards/p" + std::to_string(n) + ".png", at, hold,
                         n == 3 ? "Trust me." : ""};
        timeline.clips.push_back(clip);
        at += hold;
    }
    timeline.frame_count = at;
    return timeline;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// CMX3600: event 1-3, reel 6-13, channel 15-19, transition 21-24, source and record
// timecodes at 30, 42, 54, 66; comments start with '*'.
const std::regex kEventLine(
    R"(^\d{3}  [A-Za-z0-9_ ]{8} [A-Z0-9 ]{5} [CD]    [ 0-9]{3} )"
    R"(\d\d:\d\d:\d\d[:;]\d\d \d\d:\d\d:\d\d[:;]\d\d \d\d:\d\d:\d\d[:;]\d\d \d\d:\d\d:\d\d[:;]\d\d$)");
const std::regex kHeaderOrComment(
    R"(^(TITLE: .{1,70}|FCM: (NON-)?DROP FRAME|\* (FROM|TO) CLIP NAME: .+|)$)");
// Avid's locator: "* LOC: " then the timecode (columns 8-18), one space, the colour
// left-aligned in 7 columns (20-26), one space, the text from column 28; 80 columns at most.
const std::regex kLocator(
    R"(^\* LOC: (\d\d:\d\d:\d\d[:;]\d\d) (RED|GREEN|BLUE|CYAN|MAGENTA|YELLOW|BLACK|WHITE) *)"
    R"( ([\x20-\x7E]*)$)");

bool is_locator(const std::string& line) {
    std::smatch match;
    return std::regex_match(line, match, kLocator) && line.size() <= 80 && match.position(3) == 27;
}

void expect_cmx3600_columns(const std::string& edl) {
    for (const auto& line : lines_of(edl)) {
        const bool event = std::regex_match(line, kEventLine);
        EXPECT_TRUE(event || std::regex_match(line, kHeaderOrComment) || is_locator(line))
            << "'" << line << "'";
        if (event) EXPECT_EQ(line.size(), 76u) << line;
    }
}

fs::path write(const fs::path& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
}

struct RateCase {
    const char* rate;
    const char* start;
    bool drop_frame;
    const char* fcm;
};

class EdlAtRate : public ::testing::TestWithParam<RateCase> {};

TEST_P(EdlAtRate, KeepsColumnsAndReadsBackToTheSameCut) {
    const RateCase& param = GetParam();
    const CutListTimeline timeline = sample_timeline(param.rate, param.start, param.drop_frame);
    const std::string edl = write_cmx3600_edl(timeline);
    expect_cmx3600_columns(edl);
    EXPECT_NE(edl.find(std::string("FCM: ") + param.fcm + "\n"), std::string::npos) << edl;
    const auto lines = lines_of(edl);
    const auto events = std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
        return std::regex_match(line, kEventLine);
    });
    EXPECT_EQ(events, static_cast<long>(timeline.clips.size()) + 1);  // + the AA event
    EXPECT_NE(edl.find("  sq010    AA    C  "), std::string::npos) << edl;
    if (param.drop_frame)
        EXPECT_NE(edl.find(';'), std::string::npos) << edl;
    else
        EXPECT_EQ(edl.find(';'), std::string::npos) << edl;

    testing::TempDir dir;
    Diagnostics diagnostics;
    const auto cut =
        read_cmx3600_edl(write(dir.path(), "cut.edl", edl), timeline.rate, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), timeline.clips.size());
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        const auto& clip = timeline.clips[i];
        const auto& event = cut->events[i];
        EXPECT_EQ(event.names.front(), clip.name);
        EXPECT_EQ(event.record_in, timeline.start.frames() + clip.record_start) << clip.name;
        EXPECT_EQ(event.frames(), clip.frames) << clip.name;
        // Three lines an event (blank, event, clip name), and the 3rd panel's locator.
        EXPECT_EQ(event.where.line, 4 + 3 * static_cast<int>(i) + (i > 2 ? 1 : 0))
            << "event line of " << clip.name;
    }
}

// 29.97 drop-frame starts 10 frames before a minute so the cut crosses a dropped label.
const auto kEditorialRates =
    ::testing::Values(RateCase{"24", "01:00:00:00", false, "NON-DROP FRAME"},
                      RateCase{"23.976", "01:00:00:00", false, "NON-DROP FRAME"},
                      RateCase{"25", "10:00:00:00", false, "NON-DROP FRAME"},
                      RateCase{"29.97", "00:00:59;20", true, "DROP FRAME"},
                      RateCase{"29.97", "00:00:59:20", false, "NON-DROP FRAME"},
                      RateCase{"59.94", "00:09:59;50", true, "DROP FRAME"});

std::string rate_case_name(const ::testing::TestParamInfo<RateCase>& info) {
    std::string name = std::string(info.param.rate) + (info.param.drop_frame ? "DF" : "NDF");
    for (char& c : name)
        if (c == '.') c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Rates, EdlAtRate, kEditorialRates, rate_case_name);

/// Reads `edl` back and expects exactly the clips of `timeline`, names and frames.
void expect_reads_back_to(const CutListTimeline& timeline, const std::string& edl) {
    testing::TempDir dir;
    Diagnostics diagnostics;
    const auto cut =
        read_cmx3600_edl(write(dir.path(), "cut.edl", edl), timeline.rate, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), timeline.clips.size()) << edl;
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        EXPECT_EQ(cut->events[i].names.front(), timeline.clips[i].name) << edl;
        EXPECT_EQ(cut->events[i].record_in,
                  timeline.start.frames() + timeline.clips[i].record_start)
            << edl;
        EXPECT_EQ(cut->events[i].frames(), timeline.clips[i].frames) << edl;
    }
}

// Given a 9-frame dissolve into the 4th panel and a 6-frame dip to black into the 5th
// (both centred on their cuts), the EDL should write the dissolve as one event of two
// lines (the outgoing source zero-length, the incoming `D 009` from 4 frames before the
// cut to the panel's end), the dip as a dissolve to the BL reel and one from it meeting at
// the cut, keep the columns, and read back to the same cut.
class EdlWithTransitionsAtRate : public ::testing::TestWithParam<RateCase> {};

TEST_P(EdlWithTransitionsAtRate, WritesTwoLineDissolveEventsAndReadsBackTheSameCut) {
    const RateCase& param = GetParam();
    CutListTimeline timeline = sample_timeline(param.rate, param.start, param.drop_frame);
    const std::int64_t cut = timeline.clips[3].record_start, dip = timeline.clips[4].record_start;
    timeline.transitions = {{CutListTransitionKind::Dissolve, 3, cut, 4, 5},
                            {CutListTransitionKind::DipToBlack, 4, dip, 3, 3}};
    const std::string edl = write_cmx3600_edl(timeline);
    expect_cmx3600_columns(edl);
    const Timecode& start = timeline.start;
    const Timecode from = start.plus(cut - 4), to = start.plus(dip - 3);
    const std::string dissolve =
        cmx3600_event_line(4, "sq010", "V", from, from, from, from) + "\n" +
        cmx3600_event_line(4, "sq010", "V", from, to, from, to, 9) +
        "\n* FROM CLIP NAME: sq010/sh030/p001\n* TO CLIP NAME: sq010/sh040/p001\n";
    EXPECT_NE(edl.find(dissolve), std::string::npos) << edl;
    EXPECT_NE(edl.find("004  sq010    V     D    009 "), std::string::npos) << edl;
    const Timecode black(0, timeline.rate, param.drop_frame);
    EXPECT_NE(
        edl.find(cmx3600_event_line(5, "BL", "V", black, black.plus(3), to, start.plus(dip), 3)),
        std::string::npos)
        << edl;
    EXPECT_NE(
        edl.find(cmx3600_event_line(6, "BL", "V", black, black, start.plus(dip), start.plus(dip))),
        std::string::npos)
        << edl;
    EXPECT_NE(edl.find("006  sq010    V     D    003 "), std::string::npos) << edl;
    expect_reads_back_to(timeline, edl);
}

INSTANTIATE_TEST_SUITE_P(Rates, EdlWithTransitionsAtRate, kEditorialRates, rate_case_name);

// Given the 4th panel's dialogue and a 9-frame dissolve into it (4 frames before its cut),
// the EDL should carry one Avid locator, in the columns Avid writes, after that panel's
// `D` event: YELLOW, the dialogue, and the record timecode of the panel's own cut, not of
// the event's first frame. OpenTimelineIO's cmx_3600 pattern reads it as the clip's marker
// at that timecode, but only with ':' timecodes: at drop-frame rates it skips it.
class EdlLocatorsAtRate : public ::testing::TestWithParam<RateCase> {};

TEST_P(EdlLocatorsAtRate, DialogueIsALocatorAtThePanelsOwnCut) {
    const RateCase& param = GetParam();
    CutListTimeline timeline = sample_timeline(param.rate, param.start, param.drop_frame);
    std::swap(timeline.clips[2].dialogue, timeline.clips[3].dialogue);
    const std::int64_t cut = timeline.clips[3].record_start;
    timeline.transitions = {{CutListTransitionKind::Dissolve, 3, cut, 4, 5}};
    const std::string edl = write_cmx3600_edl(timeline);
    const auto lines = lines_of(edl);
    std::vector<std::size_t> locators;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].rfind("* LOC", 0) == 0) locators.push_back(i);
    ASSERT_EQ(locators.size(), 1u) << edl;
    const std::string& line = lines[locators[0]];
    std::smatch match;
    ASSERT_TRUE(std::regex_match(line, match, kLocator) && is_locator(line)) << line;
    EXPECT_EQ(match[2].str(), "YELLOW");
    EXPECT_EQ(line.substr(19, 8), "YELLOW  ") << "colour in 7 columns, then a space";
    EXPECT_EQ(match[3].str(), "Trust me.");
    const Timecode at = timeline.start.plus(cut);
    EXPECT_EQ(match[1].str(), at.to_string());
    EXPECT_EQ(match[1].str().find(';') != std::string::npos, param.drop_frame);
    // The event line above it: the dissolve into the panel, from 4 frames before its cut.
    std::size_t event = locators[0];
    while (event > 0 && !std::regex_match(lines[event], kEventLine)) --event;
    EXPECT_EQ(lines[event].substr(0, 29), "004  sq010    V     D    009 ") << lines[event];
    EXPECT_EQ(lines[event].substr(53, 11), timeline.start.plus(cut - 4).to_string());
    for (std::size_t i = event + 1; i < locators[0]; ++i)
        EXPECT_EQ(lines[i][0], '*') << "only comments between the event and its locator";

    const auto read = testing::read_edl_like_otio(edl, timeline.rate);
    EXPECT_TRUE(read.errors.empty()) << read.errors.front();
    std::vector<std::pair<std::int64_t, std::string>> markers;
    for (const auto& item : read.track("V")->items)
        if (item.name == timeline.clips[3].name)
            markers.insert(markers.end(), item.markers.begin(), item.markers.end());
    if (param.drop_frame)
        EXPECT_TRUE(markers.empty()) << "the adapter's pattern takes no ';' timecode";
    else
        EXPECT_EQ(markers,
                  (std::vector<std::pair<std::int64_t, std::string>>{{at.frames(), "Trust me."}}));
}

INSTANTIATE_TEST_SUITE_P(Rates, EdlLocatorsAtRate, kEditorialRates, rate_case_name);

// A locator is one line of printable 7-bit ASCII within 80 columns: UTF-8 transliterated,
// line breaks made spaces, a long text cut with "..."; only Avid's eight colours.
TEST(EdlLocator, IsOneAsciiLineWithinEightyColumns) {
    const Timecode at(86400 + 36, FrameRate{24, 1}, false);
    EXPECT_EQ("* " + cmx3600_locator(at, "YELLOW", "  Tête-à-tête\nau café  "),
              "* LOC: 01:00:01:12 YELLOW  Tete-a-tete au cafe");
    EXPECT_EQ(cmx3600_locator(at, "RED", ""), "LOC: 01:00:01:12 RED");
    const std::string line = "* " + cmx3600_locator(at, "MAGENTA", std::string(200, 'w'));
    EXPECT_EQ(line.size(), 80u);
    EXPECT_TRUE(is_locator(line)) << line;
    EXPECT_EQ(line.substr(line.size() - 4), "w...");
    EXPECT_THROW(cmx3600_locator(at, "PINK", "x"), std::invalid_argument);
}

TEST(EdlDropFrame, LabelsSkipTheDroppedNumbers) {
    const CutListTimeline timeline = sample_timeline("29.97", "00:00:59;20", true);
    const std::string edl = write_cmx3600_edl(timeline);
    // Panel 2 starts 17 frames in: 00:00:59;20 + 17 = 00:01:00;09 (;00 and ;01 are dropped).
    EXPECT_NE(edl.find("002  sq010    V     C        00:01:00;09 00:01:00;10"), std::string::npos)
        << edl;
}

TEST(EdlReader, ReadsForeignEdlsWithCommentsDissolvesAndColonDropFrame) {
    testing::TempDir dir;
    const auto file = write(dir.path(), "avid.edl", R"(TITLE: FROM AVID
FCM: DROP FRAME

001  BL       V     C        00:00:00:00 00:00:00:00 00:59:59:28 00:59:59:28
001  A001C003 V     D    010 00:00:10:00 00:00:12:00 00:59:59:28 01:00:01:28
* FROM CLIP NAME:  sq010/sh010/p001  
* COMMENT: hello
002  A001C004 AA    C        00:00:10:00 00:00:12:00 00:59:59:28 01:00:01:28
003  P002     V     C        00:00:10:00 00:00:12:00 01:00:01:28 01:00:02:10
)");
    Diagnostics diagnostics;
    const auto cut = read_cmx3600_edl(file, *FrameRate::parse("29.97"), diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), 2u);
    EXPECT_EQ(cut->events[0].names.front(), "sq010/sh010/p001");
    EXPECT_EQ(cut->events[0].frames(), 60);
    EXPECT_EQ(cut->events[1].names.front(), "P002");  // no clip name: the reel
    EXPECT_EQ(cut->events[1].frames(), 12);           // 01:00:01;28 -> 01:00:02;10 in DF
    EXPECT_EQ(cut->events[1].where.line, 9);
}

TEST(EdlReader, ReportsAMalformedEventWithItsLine) {
    testing::TempDir dir;
    const auto file = write(dir.path(), "bad.edl", "TITLE: x\n\n001  R V C 01:00:00:00\n");
    Diagnostics diagnostics;
    read_cmx3600_edl(file, FrameRate{24, 1}, diagnostics);
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].where.line, 3);
    EXPECT_NE(diagnostics.items()[0].message.find("malformed"), std::string::npos);
}

}  // namespace
}  // namespace storyreel
