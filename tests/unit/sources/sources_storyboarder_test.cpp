// Storyboarder scenes and projects read into the project model: every fixture from
// Storyboarder's own test suite either loads with the timing, shots, text, audio and
// flattened layers the tool gives, or is refused with messages naming the problem.

#include <OpenImageIO/imageio.h>
#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/project_loader.h"
#include "sources/project_sources.h"
#include "tests/support/shared_samples.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

std::optional<Project> load(const fs::path& path, Diagnostics& diagnostics,
                            const fs::path& cache = {}) {
    return load_project(path, diagnostics, {&sources::project_sources(), cache});
}

std::vector<std::int64_t> holds(const Project& project) {
    std::vector<std::int64_t> frames;
    for (const auto& sequence : project.sequences)
        for (const auto& shot : sequence.shots)
            for (const auto& panel : shot.panels) frames.push_back(panel.frames);
    return frames;
}

bool mentions(const Diagnostics& diagnostics, const std::string& part) {
    return diagnostics.to_string().find(part) != std::string::npos;
}

/// 8-bit pixels of an image with straight (unassociated) alpha, always 4 channels.
struct Straight {
    int width = 0, height = 0, channels = 0;
    std::vector<std::uint8_t> pixels;
    std::array<double, 4> at(int x, int y) const {
        const std::uint8_t* p = &pixels[(static_cast<std::size_t>(y) * width + x) * channels];
        if (channels == 3) return {double(p[0]), double(p[1]), double(p[2]), 255.0};
        return {double(p[0]), double(p[1]), double(p[2]), double(p[3])};
    }
};

Straight read_straight(const fs::path& file) {
    OIIO::ImageSpec config;
    config.attribute("oiio:UnassociatedAlpha", 1);
    auto input = OIIO::ImageInput::open(file.string(), &config);
    EXPECT_TRUE(input) << file;
    Straight image{input->spec().width, input->spec().height, input->spec().nchannels, {}};
    EXPECT_TRUE(image.channels == 3 || image.channels == 4) << file;
    image.pixels.resize(static_cast<std::size_t>(image.width) * image.height * image.channels);
    EXPECT_TRUE(
        input->read_image(0, 0, 0, image.channels, OIIO::TypeDesc::UINT8, image.pixels.data()));
    return image;
}

struct Layer {
    fs::path file;
    double opacity = 1.0;
};

/// Checks the flattened board against "source over" of `layers` (bottom to top) on white,
/// computed here pixel by pixel, on a grid of samples. Returns how many samples differ
/// from plain white, so callers can make sure the check saw drawing.
int expect_flattened(const fs::path& board, const std::vector<Layer>& layers) {
    const Straight result = read_straight(board);
    std::vector<Straight> images;
    for (const auto& layer : layers) images.push_back(read_straight(layer.file));
    int drawn = 0;
    for (int y = 3; y < result.height; y += 7)
        for (int x = 5; x < result.width; x += 7) {
            std::array<double, 3> expected{255, 255, 255};
            for (std::size_t i = 0; i < layers.size(); ++i) {
                const auto p = images[i].at(x, y);
                const double a = p[3] / 255.0 * layers[i].opacity;
                for (int c = 0; c < 3; ++c) expected[c] = expected[c] * (1 - a) + p[c] * a;
            }
            const auto got = result.at(x, y);
            for (int c = 0; c < 3; ++c)
                if (std::abs(got[c] - expected[c]) > 2.0) {
                    ADD_FAILURE() << board << " at " << x << "," << y << " channel " << c << ": "
                                  << got[c] << ", expected " << expected[c];
                    return -1;
                }
            if (expected[0] < 250 || expected[1] < 250 || expected[2] < 250) ++drawn;
        }
    return drawn;
}

TEST(SourcesStoryboarder, AudioSceneTimingTextAndClips) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/audio");
    Diagnostics diagnostics;
    auto project = load(scene, diagnostics);
    ASSERT_TRUE(project) << diagnostics.to_string();
    EXPECT_EQ(project->show.frame_rate, (FrameRate{30, 1}));
    EXPECT_EQ(project->show.width, 1920);  // "1.7777777777777777" as a string
    EXPECT_EQ(project->show.height, 1080);
    EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{60, 60}));  // 2000 ms default each
    ASSERT_EQ(project->sequences.size(), 1u);
    const Sequence& sequence = project->sequences[0];
    EXPECT_EQ(sequence.name, "audio");
    ASSERT_EQ(sequence.shots.size(), 1u) << "no board starts a new shot";
    const auto& panels = sequence.shots[0].panels;
    ASSERT_EQ(panels.size(), 2u);
    EXPECT_EQ(panels[0].name, "1A");  // recomputed: the file's stale "2A" is ignored
    EXPECT_EQ(panels[1].name, "1B");
    EXPECT_EQ(panels[0].action, "mono");
    EXPECT_EQ(panels[1].action, "stereo");
    ASSERT_EQ(panels[0].audio.size(), 1u);
    ASSERT_EQ(panels[1].audio.size(), 1u);
    EXPECT_EQ(panels[0].audio[0].file, scene / "images" / "1ABCD-audio-1234567890000.wav");
    EXPECT_EQ(panels[1].audio[0].file, scene / "images" / "2ABCD-audio-1234567890000.wav");
    EXPECT_EQ(panels[0].audio[0].offset_samples, 0) << "a board's sound starts with the board";
}

TEST(SourcesStoryboarder, OldSceneUsesDefaultTimingAndTheBoardsOwnImage) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/old-scene");
    testing::TempDir cache;
    Diagnostics diagnostics;
    auto project = load(scene / "old-scene.storyboarder", diagnostics, cache.path());
    ASSERT_TRUE(project) << diagnostics.to_string();
    EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{48, 48, 48, 48}));
    const auto& panels = project->sequences.at(0).shots.at(0).panels;
    const fs::path images = scene / "images";
    // v0.7: the drawing is board-1-UDRF3.png, between the reference (0.75 by default) and notes.
    EXPECT_GT(expect_flattened(panels[0].board, {{images / "board-1-UDRF3-reference.png", 0.75},
                                                 {images / "board-1-UDRF3.png"},
                                                 {images / "board-1-UDRF3-notes.png"}}),
              20);
    expect_flattened(panels[3].board, {{images / "board-4-TSIOW.png"}});
}

TEST(SourcesStoryboarder, LayeredSceneFlattensInStoryboardersOrder) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/example");
    testing::TempDir cache;
    Diagnostics diagnostics;
    auto project = load(scene, diagnostics, cache.path());
    ASSERT_TRUE(project) << diagnostics.to_string();
    EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{48, 48, 48, 48}));
    const auto& panels = project->sequences.at(0).shots.at(0).panels;
    ASSERT_EQ(panels.size(), 4u);
    const fs::path images = scene / "images";
    // Board 1: shot generator under the reference (opacity 1 here), fill and notes.
    EXPECT_GT(expect_flattened(panels[0].board, {{images / "board-1-UDRF3-shot-generator.png"},
                                                 {images / "board-1-UDRF3-reference.png", 1.0},
                                                 {images / "board-1-UDRF3-fill.png"},
                                                 {images / "board-1-UDRF3-notes.png"}}),
              100);
    // Board 2: the reference at 0.75. The same check at full opacity must fail somewhere,
    // so the samples do see the reference's opacity.
    const std::vector<Layer> board2{{images / "board-2-RRO6K-reference.png", 0.75},
                                    {images / "board-2-RRO6K-fill.png"},
                                    {images / "board-2-RRO6K-notes.png"}};
    EXPECT_GT(expect_flattened(panels[1].board, board2), 20);
    const Straight flat = read_straight(panels[1].board);
    const Straight reference = read_straight(board2[0].file);
    const Straight fill = read_straight(board2[1].file);
    const Straight notes = read_straight(board2[2].file);
    int reference_only = 0;  // reference alone: drawn at 0.75 of its own alpha over white
    for (int y = 0; y < flat.height; y += 3)
        for (int x = 0; x < flat.width; x += 3) {
            const auto ref = reference.at(x, y);
            if (fill.at(x, y)[3] > 0 || notes.at(x, y)[3] > 0) continue;
            const double alpha = ref[3] / 255.0;
            const double full = 255 * (1 - alpha) + ref[0] * alpha;
            const double faded = 255 * (1 - 0.75 * alpha) + ref[0] * 0.75 * alpha;
            if (std::abs(full - faded) < 5) continue;
            EXPECT_NEAR(flat.at(x, y)[0], faded, 2.0) << x << "," << y;
            ++reference_only;
        }
    EXPECT_GT(reference_only, 5) << "reference pixels drawn at 0.75 over white";
    expect_flattened(panels[2].board, {{images / "board-3-DRAPP-reference.png", 0.75},
                                       {images / "board-3-DRAPP-fill.png"},
                                       {images / "board-3-DRAPP-notes.png"}});
    expect_flattened(panels[3].board, {{images / "board-4-TSIOW-fill.png"}});
}

TEST(SourcesStoryboarder, FlattenedBoardsAreReusedFromTheCache) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/example");
    testing::TempDir cache;
    Diagnostics first_problems, second_problems;
    auto first = load(scene, first_problems, cache.path());
    auto second = load(scene, second_problems, cache.path());
    ASSERT_TRUE(first && second) << first_problems.to_string() << second_problems.to_string();
    const auto& a = first->sequences[0].shots[0].panels;
    const auto& b = second->sequences[0].shots[0].panels;
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].board, b[i].board);
        EXPECT_TRUE(a[i].board.string().starts_with(cache.path().string())) << a[i].board;
    }
    EXPECT_NE(a[0].board, a[1].board);
}

TEST(SourcesStoryboarder, LinkedPhotoshopFileIsTheBoard) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/psd");
    Diagnostics diagnostics;
    auto project = load(scene / "psd.storyboarder", diagnostics);
    ASSERT_TRUE(project) << diagnostics.to_string();
    const auto& panel = project->sequences.at(0).shots.at(0).panels.at(0);
    EXPECT_EQ(panel.board, scene / "images" / "board-1-XCAKU.psd");
    EXPECT_EQ(panel.frames, 48);
}

TEST(SourcesStoryboarder, BrokenSceneNamesEveryMissingFile) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/ducks");
    Diagnostics diagnostics;
    EXPECT_FALSE(load(scene / "ducks.storyboarder", diagnostics));
    EXPECT_TRUE(mentions(
        diagnostics, "audio file not found: " + (scene / "images" / "non-existing.wav").string()))
        << diagnostics.to_string();
    EXPECT_TRUE(mentions(diagnostics, "board image not found: " +
                                          (scene / "images" / "board-2-J74F5.png").string()));
    EXPECT_TRUE(
        mentions(diagnostics, "reference layer not found: " +
                                  (scene / "images" / "board-98-PQKJM-reference.png").string()));
    EXPECT_TRUE(mentions(diagnostics, "panel ducks/2/2B (board 3 (P2FLS))"))
        << "newShot boards start shots 1 and 2; the message names panel and board";
}

TEST(SourcesStoryboarder, MultiSceneProjectInScriptOrder) {
    STORYREEL_REQUIRE_SAMPLE(folder, "storyboarder/multi-scene");
    for (const fs::path& path : {folder, folder / "multi-scene.fountain"}) {
        Diagnostics diagnostics;
        auto project = load(path, diagnostics);
        ASSERT_TRUE(project) << path << diagnostics.to_string();
        ASSERT_EQ(project->sequences.size(), 3u);
        EXPECT_EQ(project->sequences[0].name, "Scene-1-EXT-A-PLACE-DAY-1-ZX3ZM");
        EXPECT_EQ(project->sequences[1].name, "Scene-2-INT-A-PLACE-DAY-2-FA5K7");
        EXPECT_EQ(project->sequences[2].name, "Scene-3-EXT-HOUSE-DAY-3-T5KRK");
        EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{48, 48, 48}));
    }
    Diagnostics diagnostics;
    EXPECT_FALSE(load(folder / "multi-scene.fdx", diagnostics));
    EXPECT_TRUE(mentions(diagnostics, "multi-scene.fdx:1: Final Draft script: the file is empty"))
        << diagnostics.to_string();
}

/// A scene written here, drawing on the audio fixture's images through a symlinked
/// images/ folder: durations as numbers, strings, absent and zero.
fs::path write_timing_scene(const fs::path& dir, const fs::path& fixture_images) {
    fs::create_directory_symlink(fixture_images, dir / "images");
    const fs::path file = dir / "timing.storyboarder";
    std::ofstream(file) << R"({"version": "1.3.0", "aspectRatio": "2.39", "fps": 24,
  "defaultBoardTiming": "1042",
  "boards": [
    {"uid": "A", "url": "board-1-1ABCD.png", "duration": 1001, "dialogue": "Hello"},
    {"uid": "B", "url": "board-2-2ABCD.png", "duration": "1001", "shot": "9Z", "time": 5},
    {"uid": "C", "url": "board-1-1ABCD.png", "newShot": true, "notes": "push in"},
    {"uid": "D", "url": "board-2-2ABCD.png", "duration": 0}
  ]})";
    return file;
}

TEST(SourcesStoryboarder, MillisecondsBecomeFramesOnOneClock) {
    STORYREEL_REQUIRE_SAMPLE(images, "storyboarder/audio/images");
    testing::TempDir dir;
    Diagnostics diagnostics;
    auto project = load(write_timing_scene(dir.path(), images), diagnostics);
    ASSERT_TRUE(project) << diagnostics.to_string();
    // Ends at 1001, 2002, 3044, 4086 ms = 24.02, 48.05, 73.06, 98.06 frames.
    EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{24, 24, 25, 25}));
    EXPECT_EQ(project->show.width, 1920);
    EXPECT_EQ(project->show.height, 804);  // 2.39:1
    const auto& shots = project->sequences.at(0).shots;
    ASSERT_EQ(shots.size(), 2u);
    EXPECT_EQ(shots[0].panels[1].name, "1B");
    EXPECT_EQ(shots[1].panels[0].name, "2A");
    EXPECT_EQ(shots[0].panels[0].dialogue, "Hello");
    EXPECT_EQ(shots[1].panels[0].notes, "push in");
}

TEST(SourcesStoryboarder, ProjectYamlSourceKeepsShowSettings) {
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/audio");
    testing::TempDir dir;
    std::ofstream(dir.path() / "project.yaml") << "storyreel: 1\n"
                                                  "show: {name: film, frame_rate: 24, "
                                                  "resolution: 320x180, start_timecode: "
                                                  "'10:00:00:00'}\n"
                                                  "source: {type: storyboarder, path: "
                                               << scene.string() << "}\n";
    Diagnostics diagnostics;
    auto project = load(dir.path(), diagnostics);
    ASSERT_TRUE(project) << diagnostics.to_string();
    EXPECT_EQ(project->show.name, "film");
    EXPECT_EQ(project->show.width, 320);
    EXPECT_EQ(project->show.frame_rate, (FrameRate{24, 1}));
    EXPECT_EQ(project->show.start_timecode().to_string(), "10:00:00:00");
    EXPECT_EQ(holds(*project), (std::vector<std::int64_t>{48, 48}));  // 2 s at the YAML's rate
}

TEST(SourcesStoryboarder, SourceBlockProblemsAreReported) {
    testing::TempDir dir;
    std::ofstream(dir.path() / "project.yaml")
        << "storyreel: 1\nshow: {name: film, frame_rate: 24}\n"
           "source: {type: storyboarder, path: nowhere.storyboarder, colour: red}\n";
    Diagnostics diagnostics;
    EXPECT_FALSE(load(dir.path(), diagnostics));
    EXPECT_TRUE(mentions(diagnostics, "nowhere.storyboarder")) << diagnostics.to_string();
}

}  // namespace
}  // namespace storyreel
