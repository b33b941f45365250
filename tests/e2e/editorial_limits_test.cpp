// The limits editorial formats and delivery tools set, known before a night's build:
// - CMX3600 is 7-bit ASCII: TITLE and comments are transliterated;
// - a CMX3600 EDL numbers at most 999 events: past that the EDL is written in parts, each
//   a complete EDL that OTIO's cmx_3600 rules accept, or validation refuses (`edl: single`);
// - timecode is a 24-hour clock: a unit that would run past midnight is refused at
//   validation (file and line of start_timecode), never wrapped (a slate before
//   00:00:00:00 was already refused by the slate stage);
// - an H.264 crf at or below still_crf_boost is refused at validation (file and line).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "demo/demo_project.h"
#include "editorial/ascii_text.h"
#include "editorial/editorial_cut.h"
#include "editorial/edl_writer.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/interchange_readers.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::ReadItem;

TEST(SevenBitAscii, TransliteratesLatinAccentsAndReplacesTheRest) {
    EXPECT_EQ(to_7bit_ascii("Tête-à-tête Ünit"), "Tete-a-tete Unit");
    EXPECT_EQ(to_7bit_ascii("Straße, Œuvre, Łódź, Ærø"), "Strasse, OEuvre, Lodz, AEro");
    EXPECT_EQ(to_7bit_ascii("“quoted” – ‘single’…"), "\"quoted\" - 'single'...");
    EXPECT_EQ(to_7bit_ascii("東京 sq010"), "__ sq010");
    EXPECT_EQ(to_7bit_ascii("tab\there\n"), "tab here ");
    EXPECT_EQ(to_7bit_ascii(std::string("bad \xC3 byte")), "bad _ byte");
    for (unsigned char c :
         to_7bit_ascii("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ"))
        EXPECT_TRUE(c >= 0x20 && c < 0x7F);
}

/// `count` panels of 3..5 frames at 24 fps, every third one dissolving in from the one
/// before, starting with a fade from black.
CutListTimeline long_timeline(std::size_t count) {
    CutListTimeline timeline;
    timeline.rate = FrameRate{24, 1};
    timeline.start = Timecode(24 * 3600, timeline.rate, false);
    timeline.title = "Show sq010";
    timeline.unit = "sq010";
    timeline.width = 320;
    timeline.height = 180;
    timeline.movie = {"/out/sq010_prores.mov", "sq010", true};
    std::int64_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::int64_t hold = 3 + static_cast<std::int64_t>(i % 3);
        timeline.clips.push_back(
            {"sq010/sh" + std::to_string(i / 100) + "/p" + std::to_string(i % 100), "/boards/b.png",
             at, hold, ""});
        if (i == 0) timeline.transitions.push_back({CutListTransitionKind::FadeIn, 0, 0, 0, 2});
        if (i > 0 && i % 3 == 0)
            timeline.transitions.push_back({CutListTransitionKind::Dissolve, i, at, 1, 1});
        at += hold;
    }
    timeline.frame_count = at;
    return timeline;
}

// Given 1,500 panels (over 1,500 events), the EDL comes in parts of at most 999 events;
// read with OTIO's cmx_3600 rules each part has no error, the parts follow one another on
// the record timeline, and together they name every panel once, in order.
TEST(EdlParts, AnEdlOver999EventsIsSplitIntoPartsEveryReaderTakes) {
    const CutListTimeline timeline = long_timeline(1500);
    EXPECT_GT(cmx3600_edl_event_count(timeline), 999u);
    EXPECT_THROW(write_cmx3600_edl(timeline), std::invalid_argument);
    const auto parts = write_cmx3600_edl_parts(timeline);
    ASSERT_EQ(parts.size(), 2u);
    std::vector<std::string> names;
    std::int64_t next = timeline.start.frames();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        EXPECT_LE(parts[i].events, 999u);
        const auto read = testing::read_edl_like_otio(parts[i].text, timeline.rate);
        ASSERT_TRUE(read.errors.empty()) << "part " << i + 1 << ": " << read.errors.front();
        EXPECT_EQ(read.title, "Show sq010 part " + std::to_string(i + 1) + " of 2");
        const auto* video = read.track("V");
        ASSERT_TRUE(video);
        EXPECT_EQ(video->start, next) << "part " << i + 1 << " starts where the one before ended";
        std::int64_t end = video->start;
        for (const auto& item : video->items) {
            end += item.duration;
            if (item.kind == ReadItem::Kind::Clip && item.duration > 0) names.push_back(item.name);
        }
        next = end;
        const auto* audio = read.track("A1");
        ASSERT_TRUE(audio);
        EXPECT_EQ(audio->start, video->start);
        EXPECT_EQ(audio->items.at(0).duration, end - video->start)
            << "the audio under the part's pictures";
    }
    EXPECT_EQ(next, timeline.start.frames() + timeline.frame_count);
    ASSERT_EQ(names.size(), timeline.clips.size());
    for (std::size_t i = 0; i < names.size(); ++i) ASSERT_EQ(names[i], timeline.clips[i].name) << i;
}

struct Project {
    testing::TempDir dir;
    demo::DemoProject demo;
    fs::path pipeline;
};

/// The line (1-based) of `needle` in `file`.
int line_of(const fs::path& file, const std::string& needle) {
    const std::string text = testing::read_file(file);
    const auto at = text.find(needle);
    return at == std::string::npos
               ? -1
               : 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

/// A project of `panels` panels of 2 frames at 24 fps in one shot, all showing one board
/// (drawing a thousand boards would take minutes), and a pipeline of `stages`.
void make_project(Project& project, int panels, const std::string& stages) {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 1;
    options.panels_per_shot = 1;
    options.width = 64;  // the smallest demo board
    options.height = 64;
    options.varied_formats = false;
    options.with_audio = false;
    project.demo = demo::write_demo_project(project.dir.path() / "project", options);
    std::string text = testing::read_file(project.demo.project_file);
    const std::string list = "        panels:\n";
    text = text.substr(0, text.find(list) + list.size());
    for (int i = 1; i <= panels; ++i)
        text += "          - {name: p" + std::to_string(i) +
                ", board: " + project.demo.panels[0].board_file + ", frames: 2}\n";
    std::ofstream(project.demo.project_file, std::ios::trunc) << text;
    project.pipeline = project.dir.path() / "pipeline.yaml";
    std::ofstream(project.pipeline) << "pipeline: 1\nstages:\n  - {name: ingest, type: ingest}\n"
                                       "  - {name: conform, type: conform, needs: [ingest]}\n"
                                    << stages;
}

testing::CliResult validate(const Project& project) {
    return testing::run_storyreel({"validate", "--project", project.demo.project_file.string(),
                                   "--pipeline", project.pipeline.string()});
}

constexpr const char* kProresAndLists =
    "  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}\n"
    "  - {name: lists, type: cut_lists, params: {movie: prores, edl: EDL}}\n";

std::string with_edl(const std::string& edl) {
    std::string stages = kProresAndLists;
    stages.replace(stages.find("EDL"), 3, edl);
    return stages;
}

// Given 1,000 panels, `edl: single` is refused at validation (naming the stage, the unit,
// the EDL file and the count, and what to do); the default, split, validates and says it will
// split.
TEST(EdlParts, ASequenceOver999EventsIsKnownAtValidation) {
    Project project;
    make_project(project, 1000, with_edl("single"));
    const auto refused = validate(project);
    EXPECT_NE(refused.exit_code, 0) << testing::describe(refused);
    const std::string message = refused.out + refused.err;
    EXPECT_NE(message.find("pipeline.yaml:" +
                           std::to_string(line_of(project.pipeline, "{movie: prores"))),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("unit sq010"), std::string::npos) << message;
    EXPECT_NE(message.find("its EDL sq010.edl"), std::string::npos) << message;
    EXPECT_NE(message.find("1000 events"), std::string::npos)
        << message;  // one cut event per panel
    EXPECT_NE(message.find("edl: split"), std::string::npos) << message;

    std::ofstream(project.pipeline, std::ios::trunc)
        << "pipeline: 1\nstages:\n  - {name: ingest, type: ingest}\n"
           "  - {name: conform, type: conform, needs: [ingest]}\n"
        << with_edl("split");
    const auto split = validate(project);
    EXPECT_EQ(split.exit_code, 0) << testing::describe(split);
    EXPECT_NE((split.out + split.err).find("written in parts"), std::string::npos)
        << testing::describe(split);
}

/// One event of a CMX3600 EDL, read by the columns of the CMX3600 format (event 1-3, reel
/// 6-13, channel 15-19, transition 21-24, duration 26-28, source in/out 30-40 / 42-52,
/// record in/out 54-64 / 66-76) with its `* FROM CLIP NAME:` and `* LOC:` comments; 24 fps
/// non-drop timecode converted by hand, independent of storyreel's writer and reader.
struct CmxLine {
    int event = 0;
    std::string reel, channel;
    std::int64_t record_in = 0, record_out = 0;
    std::string clip_name;
    std::vector<std::string> locators;
};

std::int64_t frames_at_24(const std::string& timecode) {
    EXPECT_EQ(timecode.size(), 11u) << timecode;
    EXPECT_EQ(timecode.find(';'), std::string::npos) << timecode;
    const int h = std::stoi(timecode.substr(0, 2)), m = std::stoi(timecode.substr(3, 2));
    const int s = std::stoi(timecode.substr(6, 2)), f = std::stoi(timecode.substr(9, 2));
    EXPECT_LT(f, 24) << timecode;
    return ((h * 60LL + m) * 60 + s) * 24 + f;
}

std::vector<CmxLine> read_cmx3600_columns(const std::string& text) {
    std::vector<CmxLine> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        EXPECT_LE(line.size(), 80u) << line;
        if (line.empty() || line.rfind("TITLE: ", 0) == 0 || line.rfind("FCM: ", 0) == 0) continue;
        if (line.rfind("* ", 0) == 0) {
            EXPECT_FALSE(lines.empty()) << "a comment before any event: " << line;
            if (lines.empty()) continue;
            if (line.rfind("* FROM CLIP NAME: ", 0) == 0) lines.back().clip_name = line.substr(18);
            if (line.rfind("* LOC: ", 0) == 0) lines.back().locators.push_back(line.substr(7));
            continue;
        }
        EXPECT_EQ(line.size(), 76u) << "not a CMX3600 event line: '" << line << "'";
        if (line.size() != 76u) continue;
        CmxLine event;
        event.event = std::stoi(line.substr(0, 3));
        event.reel = line.substr(5, 8);
        event.reel.erase(event.reel.find_last_not_of(' ') + 1);
        event.channel = line.substr(14, 5);
        event.channel.erase(event.channel.find_last_not_of(' ') + 1);
        event.record_in = frames_at_24(line.substr(53, 11));
        event.record_out = frames_at_24(line.substr(65, 11));
        lines.push_back(event);
    }
    return lines;
}

/// A panel as build.json's `timing` records it.
struct TimedPanel {
    std::string panel;
    std::int64_t start = 0, frames = 0;
    bool operator==(const TimedPanel&) const = default;
};
std::ostream& operator<<(std::ostream& out, const TimedPanel& p) {
    return out << p.panel << "@" << p.start << "+" << p.frames;
}

std::vector<TimedPanel> build_json_timing(const nlohmann::json& report) {
    std::vector<TimedPanel> panels;
    for (const auto& entry : report["timing"])
        panels.push_back({entry["panel"], entry["unit_start_frame"], entry["frames"]});
    return panels;
}

/// The cut-list files build.json lists, by file name, with their format.
std::map<std::string, std::string> listed_cut_lists(const nlohmann::json& report) {
    std::map<std::string, std::string> lists;
    for (const auto& output : report["outputs"])
        if (output["kind"] == "cut_list")
            lists[fs::path(output["path"].get<std::string>()).filename().string()] =
                output["format"];
    return lists;
}

testing::CliResult build(const Project& project) {
    return testing::run_storyreel({"build", "--project", project.demo.project_file.string(),
                                   "--pipeline", project.pipeline.string(), "--out",
                                   (project.dir.path() / "out").string()});
}

// Given 1,000 panels of 2 frames and `edl: split`, the build writes sq010_01.edl and
// sq010_02.edl (no sq010.edl), build.json lists both with their event counts (each at most
// 999); read by CMX3600's columns, each part numbers its events from 001, the record
// timecodes of part 2 start where part 1's end, and together the parts name every panel
// once on exactly the record frames build.json gives it (the project's EDL reader agrees),
// the dialogue of a panel in part 2 a locator at its cut.
TEST(EdlParts, ASplitCutBuildsPartsThatTogetherCoverItFrameForFrame) {
    Project project;
    make_project(project, 1000, with_edl("split"));
    const std::string board = project.demo.panels[0].board_file;
    ASSERT_TRUE(testing::replace_in_file(
        project.demo.project_file, "{name: p1000, board: " + board + ", frames: 2}",
        "{name: p1000, board: " + board + ", frames: 2, dialogue: \"Almost there.\"}"));
    const auto built = build(project);
    ASSERT_EQ(built.exit_code, 0) << testing::describe(built);
    const fs::path out = project.dir.path() / "out";
    const auto report = nlohmann::json::parse(testing::read_file(out / "build.json"));
    const auto timing = build_json_timing(report);
    ASSERT_EQ(timing.size(), 1000u);

    EXPECT_FALSE(fs::exists(out / "sq010.edl"));
    const auto lists = listed_cut_lists(report);
    EXPECT_EQ(lists.count("sq010_01.edl") + lists.count("sq010_02.edl"), 2u);
    EXPECT_EQ(std::count_if(lists.begin(), lists.end(),
                            [](const auto& list) { return list.second == "edl"; }),
              2);
    for (const auto& output : report["outputs"])
        if (output["kind"] == "cut_list" && output["format"] == "edl") {
            EXPECT_TRUE(output["events"].is_number()) << output.dump();
            EXPECT_LE(output["events"].get<int>(), 999) << output.dump();
        }

    const std::int64_t start = 24 * 3600;  // 01:00:00:00
    std::vector<TimedPanel> found;
    std::int64_t next = start;
    std::vector<std::pair<std::int64_t, std::string>> locators;
    for (const char* name : {"sq010_01.edl", "sq010_02.edl"}) {
        const std::string text = testing::read_file(out / name);
        const auto events = read_cmx3600_columns(text);
        ASSERT_FALSE(events.empty()) << name;
        int number = 0;
        for (const auto& event : events) {
            EXPECT_EQ(event.event, ++number) << name << ": events numbered 001, 002 ...";
            EXPECT_EQ(event.channel, "V") << name;
            EXPECT_EQ(event.record_in, next) << name << " event " << event.event;
            next = event.record_out;
            found.push_back(
                {event.clip_name, event.record_in - start, event.record_out - event.record_in});
            for (const auto& locator : event.locators)
                locators.push_back({frames_at_24(locator.substr(0, 11)), locator.substr(12)});
        }
        EXPECT_LE(number, 999) << name;
    }
    EXPECT_EQ(next, start + 2000) << "the parts end where the cut ends";
    EXPECT_EQ(found, timing);
    auto p1000 = std::find_if(timing.begin(), timing.end(),
                              [](const auto& p) { return p.panel == "sq010/sh010/p1000"; });
    ASSERT_NE(p1000, timing.end());
    EXPECT_EQ(locators, (std::vector<std::pair<std::int64_t, std::string>>{
                            {start + p1000->start, "YELLOW  Almost there."}}));

    std::vector<TimedPanel> read;  // the project's own EDL reader, part after part
    for (const char* name : {"sq010_01.edl", "sq010_02.edl"}) {
        Diagnostics diagnostics;
        const auto cut = read_cmx3600_edl(out / name, FrameRate{24, 1}, diagnostics);
        ASSERT_TRUE(cut) << diagnostics.to_string();
        for (const auto& event : cut->events)
            read.push_back({event.names.front(), event.record_in - start, event.frames()});
    }
    EXPECT_EQ(read, timing);
}

// Given `edl: off`, the build writes every other list and no EDL, and build.json lists
// exactly those.
TEST(EdlParts, EdlOffWritesTheOtherListsAndNoEdl) {
    Project project;
    make_project(project, 3, with_edl("off"));
    const auto built = build(project);
    ASSERT_EQ(built.exit_code, 0) << testing::describe(built);
    const fs::path out = project.dir.path() / "out";
    for (const auto& file : testing::list_files_recursive(out))
        EXPECT_NE(file.extension(), ".edl") << file;
    const auto report = nlohmann::json::parse(testing::read_file(out / "build.json"));
    EXPECT_EQ(listed_cut_lists(report),
              (std::map<std::string, std::string>{{"sq010.otio", "otio"},
                                                  {"sq010_movie.otio", "otio"},
                                                  {"sq010.xml", "xmeml"},
                                                  {"sq010.fcpxml", "fcpxml"}}));
    for (const auto& [name, format] : listed_cut_lists(report))
        EXPECT_TRUE(fs::exists(out / name)) << name;
}

// Given start_timecode 23:59:55:00 and a cut longer than five seconds, validation refuses
// it at the start_timecode line: its record timecode would wrap past midnight.
TEST(Midnight, ACutRunningPastMidnightIsRefusedAtValidation) {
    Project project;
    make_project(project, 80, with_edl("split"));  // 80 panels of 2 frames: over 5 s
    ASSERT_TRUE(testing::replace_in_file(project.demo.project_file,
                                         "start_timecode: \"01:00:00:00\"",
                                         "start_timecode: \"23:59:55:00\""));
    const auto refused = validate(project);
    EXPECT_NE(refused.exit_code, 0) << testing::describe(refused);
    const std::string message = refused.out + refused.err;
    EXPECT_NE(message.find("project.yaml:" +
                           std::to_string(line_of(project.demo.project_file, "start_timecode"))),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("past midnight"), std::string::npos) << message;

    ASSERT_TRUE(testing::replace_in_file(project.demo.project_file, "23:59:55:00", "23:00:00:00"));
    const auto accepted = validate(project);
    EXPECT_EQ(accepted.exit_code, 0) << testing::describe(accepted);
}

// Given an H.264 crf at or below still_crf_boost (each drawing would be lossless, which
// libx264 refuses in the High profile), validation refuses it at the crf line.
TEST(H264Crf, ACrfAtOrBelowTheStillBoostIsRefusedAtValidation) {
    for (const char* params : {"{codec: h264, crf: 6}", "{codec: h264, crf: 0}",
                               "{codec: h264, crf: 3, still_crf_boost: 3}"}) {
        Project project;
        make_project(project, 2,
                     std::string("  - {name: review, type: encode, needs: [conform], params: ") +
                         params + "}\n");
        const auto refused = validate(project);
        EXPECT_NE(refused.exit_code, 0) << params << testing::describe(refused);
        const std::string message = refused.out + refused.err;
        EXPECT_NE(message.find("pipeline.yaml:" +
                               std::to_string(line_of(project.pipeline, "name: review"))),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("lossless"), std::string::npos) << message;
    }
    Project project;
    make_project(
        project, 2,
        "  - {name: review, type: encode, needs: [conform], params: {codec: h264, crf: 7}}\n");
    const auto accepted = validate(project);
    EXPECT_EQ(accepted.exit_code, 0) << testing::describe(accepted);
}

}  // namespace
}  // namespace storyreel
