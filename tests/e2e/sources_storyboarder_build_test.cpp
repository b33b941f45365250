// Storyboarder fixtures through the storyreel command: what --project names (a scene
// folder, a .storyboarder file, a project folder, a script) builds movies of the right
// length and pictures, and broken fixtures fail with messages naming what is missing.

#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/movie_probe.h"
#include "tests/support/shared_samples.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

using testing::describe;
using testing::run_storyreel;

constexpr const char* kReviewPipeline = R"(pipeline: 1
name: sources-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: review, type: encode, needs: [conform, audio], params: {codec: h264, crf: 18, preset: ultrafast}}
)";

class StoryboarderBuild : public ::testing::Test {
  protected:
    void SetUp() override { std::ofstream(pipeline()) << kReviewPipeline; }
    fs::path pipeline() const { return dir_.path() / "pipeline.yaml"; }
    fs::path out() const { return dir_.path() / "out"; }

    /// A project YAML reading `source` at a small frame size.
    fs::path small_project(const fs::path& source) const {
        const fs::path file = dir_.path() / "project.yaml";
        std::ofstream(file) << "storyreel: 1\nshow: {name: boards, resolution: 320x180}\n"
                               "source: {path: '"
                            << source.string() << "'}\n";
        return file;
    }

    testing::CliResult build(const fs::path& project) const {
        return run_storyreel({"build", "--project", project.string(), "--pipeline",
                              pipeline().string(), "--out", out().string()});
    }

    /// Mean RGB at the centre of each wanted frame.
    std::map<std::int64_t, std::array<double, 3>> centres(const fs::path& movie,
                                                          std::set<std::int64_t> wanted,
                                                          std::int64_t& frames) const {
        std::map<std::int64_t, std::array<double, 3>> found;
        frames = testing::decode_video(
            movie, [&](std::int64_t i) { return wanted.count(i) > 0; },
            [&](std::int64_t i, const testing::RgbPicture& picture) {
                found[i] = picture.mean_around(picture.width / 2, picture.height / 2, 2);
            });
        return found;
    }

    testing::TempDir dir_;
};

TEST_F(StoryboarderBuild, LayeredSceneBuildsFromAProjectSourceBlock) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/example");
    const auto result = build(small_project(scene));
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const fs::path movie = out() / "example_review.mp4";
    const auto info = testing::probe_movie(movie);
    EXPECT_EQ(info.video.width, 320);
    EXPECT_EQ(info.video.height, 180);
    std::int64_t frames = 0;
    auto pixels = centres(movie, {0, 47, 48, 144, 191}, frames);
    EXPECT_EQ(frames, 4 * 48);  // four boards of the 2000 ms default at 24 fps
    // Board 1's shot-generator render is dark grey in the middle; board 4 is a blank sheet.
    for (int c = 0; c < 3; ++c) {
        EXPECT_LT(pixels[0][c], 120) << describe(result);
        EXPECT_NEAR(pixels[47][c], pixels[0][c], 6);
        EXPECT_GT(pixels[48][c], 230) << "board 2 is white paper in the middle";
        EXPECT_GT(pixels[191][c], 245);
    }
}

TEST_F(StoryboarderBuild, SceneFolderBuildsAtTheScenesRateAndShape) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/audio");
    const auto result = build(scene);
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const fs::path movie = out() / "audio_review.mp4";
    const auto info = testing::probe_movie(movie);
    EXPECT_EQ(info.video.rate_num, 30);
    EXPECT_EQ(info.video.rate_den, 1);
    EXPECT_EQ(info.video.width, 1920);
    EXPECT_EQ(info.video.height, 1080);
    std::int64_t frames = 0;
    centres(movie, {}, frames);
    EXPECT_EQ(frames, 120);
}

TEST_F(StoryboarderBuild, MultiSceneProjectBuildsOneMoviePerScene) {
    STORYREEL_REQUIRE_SAMPLE(folder, "storyboarder/multi-scene");
    const auto result = build(small_project(folder / "multi-scene.fountain"));
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    for (const char* name : {"Scene-1-EXT-A-PLACE-DAY-1-ZX3ZM", "Scene-2-INT-A-PLACE-DAY-2-FA5K7",
                             "Scene-3-EXT-HOUSE-DAY-3-T5KRK"}) {
        std::int64_t frames = 0;
        centres(out() / (std::string(name) + "_review.mp4"), {}, frames);
        EXPECT_EQ(frames, 48) << name;
    }
}

TEST_F(StoryboarderBuild, MissingImagesAndAudioFailBeforeAnyWork) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/ducks");
    const auto result = build(scene / "ducks.storyboarder");
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_NE(result.err.find("audio file not found: " +
                              (scene / "images" / "non-existing.wav").string()),
              std::string::npos)
        << describe(result);
    EXPECT_NE(result.err.find("board image not found: " +
                              (scene / "images" / "board-1-WEBM4.png").string()),
              std::string::npos);
    EXPECT_FALSE(fs::exists(out() / "build.json"));
    EXPECT_FALSE(fs::exists(out() / "ducks_review.mp4"));
}

TEST_F(StoryboarderBuild, EmptyFinalDraftScriptIsRefused) {
    STORYREEL_REQUIRE_SAMPLE(script, "storyboarder/multi-scene/multi-scene.fdx");
    const auto result = run_storyreel({"validate", "--project", script.string()});
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_NE(result.err.find("multi-scene.fdx:1: Final Draft script: the file is empty"),
              std::string::npos)
        << describe(result);
}

TEST_F(StoryboarderBuild, LinkedPhotoshopBoardBuildsItsComposite) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/psd");
    const auto result = build(small_project(scene / "psd.storyboarder"));
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    std::int64_t frames = 0;
    testing::RgbPicture first;
    frames = testing::decode_video(
        out() / "psd_review.mp4", [](std::int64_t i) { return i == 0; },
        [&](std::int64_t, const testing::RgbPicture& picture) { first = picture; });
    EXPECT_EQ(frames, 48);
    // The PSD's merged image: a black card on the left third, white paper on the right.
    const auto card = first.mean_around(first.width / 5, first.height / 2, 2);
    const auto paper = first.mean_around(first.width * 4 / 5, first.height / 2, 2);
    for (int c = 0; c < 3; ++c) {
        EXPECT_LT(card[c], 40);
        EXPECT_GT(paper[c], 235);
    }
    // And the picture Storyboarder itself showed: its posterframe of the board, scaled.
    OIIO::ImageBuf poster((scene / "images" / "board-1-XCAKU-posterframe.jpg").string());
    const OIIO::ImageBuf scaled =
        OIIO::ImageBufAlgo::resize(poster, "", 0, OIIO::ROI(0, first.width, 0, first.height));
    ASSERT_FALSE(scaled.has_error()) << scaled.geterror();
    std::vector<float> expected(static_cast<std::size_t>(first.width) * first.height * 3);
    ASSERT_TRUE(scaled.get_pixels(OIIO::ROI(0, first.width, 0, first.height, 0, 1, 0, 3),
                                  OIIO::TypeDesc::FLOAT, expected.data()));
    double difference = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        difference += std::abs(expected[i] * 255.0 - first.pixels[i]);
    EXPECT_LT(difference / static_cast<double>(expected.size()), 2.0)
        << "mean difference from the posterframe";
}

}  // namespace
}  // namespace storyreel
