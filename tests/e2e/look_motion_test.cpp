// Camera moves and transitions, checked on decoded movies: a zoom from 1.0 to 2.0 grows
// the picture monotonically and doubles it; a dissolve's middle frame is the average of
// the panels around it; a fade dips to black; the cut keeps its length; and a redrawn
// board invalidates the next shot when a dissolve mixes it in.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/look_build.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::decode_all_frames;
using testing::mean_difference;
using testing::mean_level;
using testing::Region;
using testing::RgbPicture;

constexpr const char* kPipeline = R"(pipeline: 1
name: look-motion-test
settings: {frames_in_flight: 3}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: hq}}
  - {name: h264, type: encode, needs: [conform], params: {codec: h264, crf: 12, preset: veryfast}}
)";

const Region kWholeFrame{0, 0, 320, 180};

/// A 320x180 board: light grey with a dark square of `side` pixels in the middle, or a
/// flat colour when `side` is 0.
void write_board(const fs::path& file, int side, std::array<float, 3> colour) {
    OIIO::ImageBuf board(OIIO::ImageSpec(320, 180, 3, OIIO::TypeDesc::UINT8));
    OIIO::ImageBufAlgo::fill(board, colour);
    if (side > 0) {
        const float dark[3] = {0.05f, 0.05f, 0.05f};
        OIIO::ImageBufAlgo::fill(
            board, dark, OIIO::ROI(160 - side / 2, 160 + side / 2, 90 - side / 2, 90 + side / 2));
    }
    ASSERT_TRUE(board.write(file.string())) << board.geterror();
}

/// Width of the dark square on the middle rows, with sub-pixel precision (summed darkness).
double square_width(const RgbPicture& picture) {
    double total = 0;
    for (int y = 86; y < 94; ++y)
        for (int x = 0; x < picture.width; ++x) {
            const auto p = picture.at(x, y);
            const double level = (p[0] + p[1] + p[2]) / 3.0;
            total += std::clamp((200.0 - level) / (200.0 - 13.0), 0.0, 1.0);
        }
    return total / 8.0;
}

/// Writes project.yaml with one sequence of the given shots (YAML lists of panels).
fs::path write_project(const fs::path& dir, const std::string& shots) {
    const fs::path file = dir / "project.yaml";
    std::ofstream(file) << "storyreel: 1\nshow: {name: Look, frame_rate: 24, resolution: 320x180}\n"
                           "sequences:\n  - name: sq010\n    shots:\n"
                        << shots;
    return file;
}

std::map<std::string, fs::path> movies_of(const BuildResult& result) {
    std::map<std::string, fs::path> movies;
    for (const auto& output : result.outputs) movies[output.stage] = output.path;
    return movies;
}

TEST(CameraMove, ZoomFromOneToTwoGrowsMonotonically) {
    testing::TempDir dir;
    write_board(dir.path() / "square.png", 40, {0.9f, 0.9f, 0.9f});
    write_board(dir.path() / "flat.png", 0, {0.5f, 0.5f, 0.5f});
    const fs::path project = write_project(dir.path(), R"(      - name: sh010
        panels:
          - {name: p001, board: flat.png, frames: 4}
          - name: p002
            board: square.png
            frames: 48
            camera: {keys: [{frame: 0, zoom: 1.0}, {frame: 47, zoom: 2.0}]}
          - {name: p003, board: flat.png, frames: 4}
)");
    const auto movies =
        movies_of(testing::build_with_pipeline(project, kPipeline, dir.path() / "out"));
    for (const char* stage : {"prores", "h264"}) {
        const auto frames = decode_all_frames(movies.at(stage));
        ASSERT_EQ(frames.size(), 56u) << stage;
        std::vector<double> widths;
        for (int k = 0; k < 48; ++k) widths.push_back(square_width(frames[4 + k]));
        EXPECT_NEAR(widths.front(), 40.0, 1.5) << stage;
        EXPECT_NEAR(widths.back(), 80.0, 2.0) << stage;
        for (int k = 1; k < 48; ++k)
            EXPECT_GT(widths[k], widths[k - 1] - 0.05) << stage << " frame " << k << " shrank";
        // Geometric interpolation: the middle frame is zoomed by about sqrt(2).
        EXPECT_NEAR(widths[23] / widths.front(), std::pow(2.0, 23.0 / 47.0), 0.05) << stage;
        EXPECT_LT(mean_difference(frames[0], frames[3], kWholeFrame), 0.5)
            << "held panels stay held";
    }
}

class Transitions : public ::testing::Test {
  protected:
    void SetUp() override {
        write_board(dir_.path() / "a.png", 60, {0.9f, 0.3f, 0.2f});
        write_board(dir_.path() / "b.png", 0, {0.2f, 0.4f, 0.9f});
        write_board(dir_.path() / "c.png", 0, {0.8f, 0.8f, 0.3f});
    }
    testing::TempDir dir_;
};

TEST_F(Transitions, DissolveMidpointIsTheAverageOfItsNeighbours) {
    // A 9-frame dissolve centred on the cut at frame 20 (between shots): frames 16..24.
    const fs::path project = write_project(dir_.path(), R"(      - name: sh010
        panels:
          - {name: p001, board: a.png, frames: 20}
      - name: sh020
        panels:
          - name: p001
            board: b.png
            frames: 20
            transition: {type: dissolve, frames: 9}
          - name: p002
            board: c.png
            frames: 12
            transition: {type: fade, frames: 7}
)");
    const auto movies =
        movies_of(testing::build_with_pipeline(project, kPipeline, dir_.path() / "out"));
    for (const char* stage : {"prores", "h264"}) {
        const auto frames = decode_all_frames(movies.at(stage));
        ASSERT_EQ(frames.size(), 52u) << stage << ": the cut keeps its length";
        const RgbPicture& before = frames[15];  // last frame of pure A
        const RgbPicture& after = frames[25];   // first frame of pure B
        EXPECT_LT(mean_difference(frames[14], before, kWholeFrame), 0.5);
        EXPECT_GT(mean_difference(before, after, kWholeFrame), 40.0);
        RgbPicture average = before;
        for (std::size_t i = 0; i < average.pixels.size(); ++i)
            average.pixels[i] =
                static_cast<std::uint8_t>((before.pixels[i] + after.pixels[i] + 1) / 2);
        const RgbPicture& middle = frames[20];
        EXPECT_LT(mean_difference(middle, average, kWholeFrame), 2.0) << stage;
        EXPECT_GT(mean_difference(middle, before, kWholeFrame), 15.0) << stage;
        EXPECT_GT(mean_difference(middle, after, kWholeFrame), 15.0) << stage;
        // Every dissolve frame moves from A towards B.
        for (int f = 16; f < 25; ++f)
            EXPECT_LT(mean_difference(frames[f + 1], after, kWholeFrame),
                      mean_difference(frames[f], after, kWholeFrame))
                << stage << " frame " << f;
        // The fade into p002 (cut at 40, 7 frames: 37..43) is black at the cut.
        EXPECT_LT(mean_level(frames[40], kWholeFrame), 20.0) << stage;
        EXPECT_GT(mean_level(frames[36], kWholeFrame), 100.0) << stage;
        EXPECT_GT(mean_level(frames[44], kWholeFrame), 150.0) << stage;
    }
}

TEST_F(Transitions, RedrawnNeighbourRebuildsTheShotItDissolvesInto) {
    const fs::path project = write_project(dir_.path(), R"(      - name: sh010
        panels:
          - {name: p001, board: a.png, frames: 10}
      - name: sh020
        panels:
          - {name: p001, board: b.png, frames: 10, transition: {type: dissolve, frames: 4}}
      - name: sh030
        panels:
          - {name: p001, board: c.png, frames: 10}
)");
    const std::string pipeline = R"(pipeline: 1
name: look-cache-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
)";
    const fs::path out = dir_.path() / "out";
    testing::build_with_pipeline(project, pipeline, out);
    write_board(dir_.path() / "a.png", 30, {0.9f, 0.3f, 0.2f});  // redraw sh010's board
    const auto result = testing::build_with_pipeline(project, pipeline, out);
    std::map<std::string, ShotDecision> decisions;
    for (const auto& decision : result.shots) decisions[decision.shot] = decision;
    ASSERT_EQ(decisions.size(), 3u);
    EXPECT_FALSE(decisions["sq010/sh010"].reused);
    EXPECT_FALSE(decisions["sq010/sh020"].reused) << "its dissolve mixes sh010's board";
    EXPECT_TRUE(decisions["sq010/sh030"].reused);
    const auto& reasons = decisions["sq010/sh020"].reasons;
    EXPECT_NE(std::find(reasons.begin(), reasons.end(), "p001 look changed"), reasons.end());
}

}  // namespace
}  // namespace storyreel
