// Given a 74 s cut at 25 fps with a click on the first sample of every panel, and panels
// that start exactly where the review movie's AAC track is cut into chunks for its
// parallel encode (every 30.72 s = 768 frames at 25 fps, media/chunked_aac.h), the H.264
// movie should carry the cut's samples in one packet per 1024 (plus the priming), decode
// without a message, and each click should sit within one frame of its panel's first frame:
// the joins neither move nor swallow a sound. Checked with libav's decoder and ffprobe.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

TEST(AudioAacJoins, GivenPanelsStartingOnTheChunkJoinsClicksStayOnTheirPanels) {
    testing::TempDir dir;
    // Panels start at frames 0, 24, 768 (the first join), 1536 (the second), 1560.
    const std::vector<std::int64_t> holds = {24, 744, 768, 24, 300};
    const fs::path project_file =
        testing::small_project(dir.path() / "p", 1, static_cast<int>(holds.size()), "25", 24, 24)
            .project_file;
    testing::click_on_each_panel(project_file, holds);
    const fs::path out = dir.path() / "out";
    const fs::path pipeline = testing::write_fast_pipeline(
        dir.path(),
        "  - {name: h264, type: encode, needs: [conform, audio], params: {codec: h264, "
        "preset: ultrafast}}\n");
    auto result = testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                          pipeline.string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const fs::path movie = out / "sq010_h264.mp4";
    ASSERT_TRUE(fs::exists(movie)) << testing::describe(result);

    const std::int64_t samples = 1860 * 1920;  // 74.4 s
    EXPECT_EQ(testing::shell_output("ffmpeg -v error -i '" + movie.string() + "' -f null -"), "");
    const auto stream = nlohmann::json::parse(
        testing::shell_output("ffprobe -v error -count_packets -select_streams a:0 -show_entries "
                              "stream=duration_ts,nb_read_packets,codec_name -of json '" +
                              movie.string() + "'"))["streams"][0];
    EXPECT_EQ(stream["codec_name"], "aac");
    EXPECT_EQ(std::stoll(stream["nb_read_packets"].get<std::string>()),
              (samples + 1023) / 1024 + 1);
    const std::int64_t duration = stream["duration_ts"].get<std::int64_t>();
    EXPECT_GE(duration, samples);
    EXPECT_LT(duration, samples + 1024);

    const auto sound = testing::decode_audio_mono(movie);
    EXPECT_GE(static_cast<std::int64_t>(sound.size()), samples);
    EXPECT_LT(static_cast<std::int64_t>(sound.size()), samples + 1024);
    std::int64_t start_frame = 0;
    for (std::size_t i = 0; i < holds.size(); ++i) {
        SCOPED_TRACE("panel " + std::to_string(i + 1) + " at frame " + std::to_string(start_frame));
        const std::int64_t panel_sample = start_frame * 1920;
        const std::int64_t at = testing::find_onset(sound, panel_sample - 24000, 0.4f);
        ASSERT_GE(at, 0);
        EXPECT_NEAR(static_cast<double>(at), static_cast<double>(panel_sample), 1920.0)
            << "more than a frame off";
        start_frame += holds[i];
    }
}

}  // namespace
}  // namespace storyreel
