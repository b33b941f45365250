// Given a waveform stage, each movie should get a PNG next to it (listed in build.json),
// showing the sound and a mark at every panel boundary, read back with OpenImageIO.

#include <OpenImageIO/imagebuf.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

TEST(AudioWaveform, GivenAWaveformStageEachMovieGetsAPngWithItsPanelBoundaries) {
    testing::TempDir dir;
    // One shot of 4 panels of 24 frames at 24 fps: boundaries at 1, 2 and 3 s of 4.
    const fs::path project_file =
        testing::small_project(dir.path() / "p", 1, 4, "24", 24, 24).project_file;
    testing::write_wav(project_file.parent_path() / "temp.wav",
                       testing::tone_bursts(4 * 48000, {24000}, 0.4, 0.8f), 1);
    testing::edit_project(project_file, [](YAML::Node& root) {
        root.remove("audio");
        YAML::Node track;
        track["file"] = "temp.wav";
        testing::first_sequence(root)["audio"].push_back(track);
    });
    const fs::path pipeline =
        testing::write_fast_pipeline(dir.path(),
                                     "  - {name: waveform, type: waveform, needs: [audio], params: "
                                     "{width: 400, height: 100}}\n");
    const fs::path out = dir.path() / "out";
    auto result = testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                          pipeline.string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const fs::path png = out / "sq010_waveform.png";
    OIIO::ImageBuf image(png.string());
    ASSERT_TRUE(image.read()) << image.geterror();
    ASSERT_EQ(image.spec().width, 400);
    ASSERT_EQ(image.spec().height, 100);
    auto pixel = [&](int x, int y) {
        float rgb[3];
        image.getpixel(x, y, rgb, 3);
        return std::array<float, 3>{rgb[0], rgb[1], rgb[2]};
    };
    // Boundary marks (bright orange, full height) at x = 100, 200, 300.
    for (int x : {100, 200, 300}) {
        EXPECT_GT(pixel(x, 5)[0], 0.9f) << "no boundary mark at x=" << x;
        EXPECT_LT(pixel(x - 3, 5)[0], 0.2f) << "the mark should be thin at x=" << x;
    }
    // The burst (0.5 s .. 0.9 s: x 50..90; mono 0.8 plays at 0.57 per side) reaches y=30; silence
    // does not.
    EXPECT_GT(pixel(70, 30)[1], 0.6f) << "burst not drawn";
    EXPECT_LT(pixel(150, 30)[1], 0.2f) << "silence drawn as sound";

    std::ifstream report_file(out / "build.json");
    const auto report = nlohmann::json::parse(report_file);
    bool listed = false;
    for (const auto& output : report["outputs"])
        listed = listed || (output["kind"] == "waveform" && output["path"] == png.string());
    EXPECT_TRUE(listed) << report["outputs"].dump(2);
}

}  // namespace
}  // namespace storyreel
