// Image-sequence folders: boards named sq010_sh020_p003_v002.png become the cut in name
// order, the highest version of each panel wins, a timing sheet sets holds; bad names and
// sheets fail with messages naming the file (and line).

#include <gtest/gtest.h>

#include <fstream>

#include "demo/demo_project.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;

using testing::describe;
using testing::run_storyreel;

constexpr const char* kReviewPipeline = R"(pipeline: 1
name: image-sequence-test
settings: {output: whole_cut}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: review, type: encode, needs: [conform, audio], params: {codec: h264, crf: 18, preset: ultrafast}}
)";

class ImageSequenceFolder : public ::testing::Test {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 2;
        options.panels_per_shot = 2;
        options.width = 320;
        options.height = 180;
        options.varied_formats = false;
        options.with_audio = false;
        demo_ = demo::write_demo_project(dir_.path() / "demo", options);
        ASSERT_EQ(demo_.panels.size(), 4u);
        fs::create_directories(boards());
        std::ofstream(dir_.path() / "pipeline.yaml") << kReviewPipeline;
    }

    fs::path boards() const { return dir_.path() / "boards"; }
    fs::path demo_board(std::size_t i) const {
        return dir_.path() / "demo" / demo_.panels[i].board_file;
    }
    void put(std::size_t demo_panel, const std::string& name) const {
        fs::copy_file(demo_board(demo_panel), boards() / name);
    }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir_.path() / name) << text;
    }
    testing::CliResult build(const fs::path& project) const {
        return run_storyreel({"build", "--project", project.string(), "--pipeline",
                              (dir_.path() / "pipeline.yaml").string(), "--out",
                              (dir_.path() / "out").string()});
    }
    fs::path project_with(const std::string& source) const {
        const fs::path file = dir_.path() / "project.yaml";
        std::ofstream(file) << "storyreel: 1\nshow: {name: boards, frame_rate: 24, resolution: "
                               "320x180}\nsource: {type: image_sequence, path: boards"
                            << source << "}\n";
        return file;
    }

    testing::TempDir dir_;
    demo::DemoProject demo_;
};

TEST_F(ImageSequenceFolder, VersionsAndTimingSheetSetOrderAndLengths) {
    // Names chosen so plain text order would be wrong (sh9 before sh10; p2 before p10).
    put(0, "sq1_sh9_p2_v001.png");  // superseded by v003 below
    put(1, "sq1_sh9_p2_v003.png");
    put(2, "sq1_sh9_p10.png");
    put(3, "sq1_sh10_p1_v002.png");
    put(0, "sq1_sh10_p1_v001.png");  // superseded
    put(2, "sq1_sh10_p3.png");
    write("timing.csv", "panel,hold\nsq1/sh9/p10,00:00:01:06\nsq1_sh10_p1_v002.png,7\n");
    const auto result = build(project_with(", hold_frames: 5, timing: timing.csv"));
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    // In order: sh9/p2 (v003 = demo 1) 5 frames, sh9/p10 30, sh10/p1 (v002 = demo 3) 7,
    // sh10/p3 5.
    const std::vector<std::pair<std::size_t, std::int64_t>> expected{
        {1, 5}, {2, 30}, {3, 7}, {2, 5}};
    std::vector<std::int64_t> middles;
    std::int64_t start = 0;
    for (const auto& [panel, frames] : expected) {
        middles.push_back(start + frames / 2);
        start += frames;
    }
    std::map<std::int64_t, std::array<double, 3>> centres;
    const auto frames = testing::decode_video(
        dir_.path() / "out" / "boards_review.mp4",
        [&](std::int64_t i) { return std::count(middles.begin(), middles.end(), i) > 0; },
        [&](std::int64_t i, const testing::RgbPicture& picture) {
            centres[i] = picture.mean_around(picture.width / 2, picture.height / 2, 2);
        });
    EXPECT_EQ(frames, start);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& colour = demo_.panels[expected[i].first].label_colour_hint;
        for (int c = 0; c < 3; ++c)
            EXPECT_NEAR(centres[middles[i]][c], colour[c] * 255.0, 12.0)
                << "panel " << i << " channel " << c;
    }
}

TEST_F(ImageSequenceFolder, FolderNamedDirectlyUsesItsTimingSheet) {
    put(0, "sq010_sh010_p001.png");
    put(1, "sq010_sh010_p002_v002.png");
    std::ofstream(boards() / "timing.yaml")
        << "sq010/sh010/p001: 3\nsq010/sh010/p002: 00:00:00:09\n";
    const auto result = run_storyreel({"validate", "--project", boards().string()});
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    EXPECT_TRUE(contains(result.out, "2 panels, 12 frames at 24 fps")) << describe(result);
}

TEST_F(ImageSequenceFolder, UnreadableFileNameIsNamed) {
    put(0, "sq010_sh010_p001.png");
    put(1, "final board.png");
    const auto result = build(project_with(""));
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, (boards() / "final board.png").string()));
    EXPECT_TRUE(contains(result.err, "{sequence}_{shot}_{panel}[_v{version}]")) << describe(result);
    EXPECT_FALSE(fs::exists(dir_.path() / "out" / "build.json"));
}

TEST_F(ImageSequenceFolder, TimingSheetNamingAnUnknownPanelIsRefused) {
    put(0, "sq010_sh010_p001.png");
    write("timing.csv",
          "# editor's timing\nsq010/sh010/p001,12\nsq010/sh010/p009,12\nsq010/sh010/p001,abc\n");
    const auto result = build(project_with(", timing: timing.csv"));
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    const std::string sheet = (dir_.path() / "timing.csv").string();
    EXPECT_TRUE(
        contains(result.err, sheet + ":3:1: timing sheet: panel sq010/sh010/p009 has no board"))
        << describe(result);
    EXPECT_TRUE(
        contains(result.err, sheet + ":4:1: timing sheet: panel sq010/sh010/p001: hold 'abc'"));
}

TEST_F(ImageSequenceFolder, SameVersionTwiceAndBadPatternAreRefused) {
    put(0, "sq010_sh010_p001_v002.png");
    put(1, "sq010_sh010_p001_v002.jpg");
    auto result = build(project_with(""));
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, "two boards for version 2")) << describe(result);
    result = build(project_with(", pattern: '{sequence}-{shot}-{frame}'"));
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, "unknown field '{frame}'")) << describe(result);
}

}  // namespace
}  // namespace storyreel
