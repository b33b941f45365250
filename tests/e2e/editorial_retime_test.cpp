// Given a generated project and an editor's cut coming back as a CMX3600 EDL or an OTIO
// file (`cut:` in the project), the storyreel command should build the panels in the
// cut's order and lengths (movie frames counted by ffprobe, cut lists read back), list
// the panels the cut drops, and refuse a cut naming a panel that does not exist (or
// splitting a shot) with the cut file's line, exit 2 and nothing written.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "demo/demo_project.h"
#include "editorial/editorial_cut.h"
#include "editorial/edl_writer.h"
#include "editorial/otio_writer.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fast_pipeline.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::read_file;

namespace fs = std::filesystem;
using testing::describe;

/// The fast proxy pipeline with cut lists of its ProRes movie.
const std::string kPipeline =
    std::string(testing::kFastProxyPipeline) +
    "  - {name: lists, type: cut_lists, params: {formats: [edl, otio]}}\n";

/// A panel as the cut names it, and the frames the cut gives it.
struct Event {
    std::string name;
    std::int64_t frames;
};

std::int64_t ffprobe_frames(const fs::path& movie) {
    const std::string command =
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames "
        "-of csv=p=0 '" +
        movie.string() + "'";
    FILE* pipe = popen(command.c_str(), "r");
    char buffer[64] = {};
    const bool read = pipe && std::fgets(buffer, sizeof buffer, pipe);
    if (pipe) pclose(pipe);
    return read ? std::stoll(buffer) : -1;
}

class Retime : public ::testing::Test {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 2;
        options.panels_per_shot = 3;
        options.min_hold_frames = 5;
        options.max_hold_frames = 10;
        options.width = 320;
        options.height = 180;
        options.varied_formats = false;
        project_ = demo::write_demo_project(dir_.path() / "project", options);
        std::ofstream(pipeline()) << kPipeline;
    }

    fs::path project_dir() const { return dir_.path() / "project"; }
    fs::path pipeline() const { return dir_.path() / "pipeline.yaml"; }
    fs::path out() const { return dir_.path() / "out"; }

    /// Adds `cut: FILE` to the project (at the top level) or to its sequence.
    void use_cut(const std::string& file, bool sequence_level) {
        std::string text = read_file(project_.project_file);
        const std::string anchor = sequence_level ? "  - name: sq010\n" : "sequences:\n";
        const auto at = text.find(anchor);
        ASSERT_NE(at, std::string::npos) << text;
        text.insert(sequence_level ? at + anchor.size() : at,
                    sequence_level ? "    cut: " + file + "\n" : "cut: " + file + "\n");
        std::ofstream(project_.project_file, std::ios::trunc) << text;
    }

    /// An EDL as an editor's tool writes it: record from 01:00:00:00, sources made up.
    void write_edl(const std::string& file, const std::vector<Event>& events) {
        const FrameRate rate{24, 1};
        const Timecode start(86400, rate, false);
        std::string text = "TITLE: editor cut\nFCM: NON-DROP FRAME\n";
        std::int64_t at = 0;
        int number = 0;
        for (const auto& event : events) {
            const Timecode source(240 * (number + 1), rate, false);
            text += "\n" +
                    cmx3600_event_line(++number, "A00" + std::to_string(number), "V", source,
                                       source.plus(event.frames), start.plus(at),
                                       start.plus(at + event.frames)) +
                    "\n* FROM CLIP NAME: " + event.name + "\n";
            at += event.frames;
        }
        std::ofstream(project_dir() / file) << text;
    }

    testing::CliResult build() {
        return testing::run_storyreel({"build", "--project", project_.project_file.string(),
                                       "--pipeline", pipeline().string(), "--out", out().string()});
    }

    /// The cut the build wrote (its own EDL), as panel names and lengths.
    std::vector<std::pair<std::string, std::int64_t>> built_cut() {
        Diagnostics diagnostics;
        const auto cut = read_cmx3600_edl(out() / "sq010.edl", FrameRate{24, 1}, diagnostics);
        EXPECT_TRUE(cut) << diagnostics.to_string();
        std::vector<std::pair<std::string, std::int64_t>> events;
        if (cut)
            for (const auto& event : cut->events)
                events.emplace_back(event.names.front(), event.frames());
        return events;
    }

    testing::TempDir dir_;
    demo::DemoProject project_;
};

TEST_F(Retime, AnEdlReordersRetimesAndDropsPanels) {
    write_edl("cut.edl", {{"sq010/sh010/p002", 10},
                          {"sh010/p001", 7},  // short names work when unambiguous
                          {"sq010/sh020/p001", 3},
                          {"sq010_sh020_p002.png", 12},  // the board's file name
                          {"sq010/sh020/p003", 5}});
    use_cut("cut.edl", true);
    const auto result = build();
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    EXPECT_NE(result.err.find("drops 1 panel(s)"), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("sq010/sh010/p003"), std::string::npos) << describe(result);
    EXPECT_EQ(ffprobe_frames(out() / "sq010_prores.mov"), 37);
    const std::vector<std::pair<std::string, std::int64_t>> expected{{"sq010/sh010/p002", 10},
                                                                     {"sq010/sh010/p001", 7},
                                                                     {"sq010/sh020/p001", 3},
                                                                     {"sq010/sh020/p002", 12},
                                                                     {"sq010/sh020/p003", 5}};
    EXPECT_EQ(built_cut(), expected);
}

TEST_F(Retime, AnOtioReordersShotsAndRetimes) {
    CutListTimeline editor;
    editor.rate = FrameRate{24, 1};
    editor.start = Timecode(86400, editor.rate, false);
    editor.movie = {project_dir() / "editor.mov", "EDIT", false};
    const std::vector<Event> events{{"sq010/sh020/p001", 9}, {"sq010/sh020/p002", 4},
                                    {"sq010/sh020/p003", 6}, {"sq010/sh010/p001", 11},
                                    {"sq010/sh010/p002", 2}, {"sq010/sh010/p003", 8}};
    for (const auto& event : events) {
        editor.clips.push_back(
            {event.name, project_dir() / "x.png", editor.frame_count, event.frames, ""});
        editor.frame_count += event.frames;
    }
    std::ofstream(project_dir() / "cut.otio") << make_otio_cut_timeline(editor).dump(2);
    use_cut("cut.otio", false);
    const auto result = build();
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    EXPECT_EQ(result.err.find("drops"), std::string::npos) << describe(result);
    EXPECT_EQ(ffprobe_frames(out() / "sq010_prores.mov"), editor.frame_count);
    std::vector<std::pair<std::string, std::int64_t>> expected;
    for (const auto& event : events) expected.emplace_back(event.name, event.frames);
    EXPECT_EQ(built_cut(), expected);
}

TEST_F(Retime, ACutNamingAnUnknownPanelFailsWithItsLine) {
    write_edl("cut.edl", {{"sq010/sh010/p001", 10}, {"sq010/sh010/p009", 7}});
    use_cut("cut.edl", true);
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    // The second event's line is 7: TITLE, FCM, blank, event, comment, blank, event.
    EXPECT_NE(result.err.find((project_dir() / "cut.edl").string() + ":7:"), std::string::npos)
        << describe(result);
    EXPECT_NE(result.err.find("'sq010/sh010/p009' names no panel"), std::string::npos)
        << describe(result);
    EXPECT_FALSE(fs::exists(out())) << "validation failed, so nothing should be written";
}

TEST_F(Retime, ACutSplittingAShotIsRefused) {
    write_edl("cut.edl",
              {{"sq010/sh010/p001", 4}, {"sq010/sh020/p001", 4}, {"sq010/sh010/p002", 4}});
    use_cut("cut.edl", false);
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_NE(result.err.find("cut.edl:10:"), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("shot sq010/sh010 apart from the rest"), std::string::npos)
        << describe(result);
    EXPECT_FALSE(fs::exists(out()));
}

TEST_F(Retime, AMissingCutFileIsAConfigError) {
    use_cut("nowhere.edl", true);
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_NE(result.err.find("cut list not found"), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find(project_.project_file.string() + ":"), std::string::npos)
        << describe(result);
}

}  // namespace
}  // namespace storyreel
