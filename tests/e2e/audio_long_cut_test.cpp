// Given a 60-minute cut at 23.976 fps with a click on the first sample of every panel
// (per-panel clips), the encoded movie should carry exactly the cut's samples, and each
// click should sit within one frame of its panel's first frame, at the start and at the
// very end of the hour: nothing drifts. Checked with the ffmpeg command line, which
// seeks and trims the movie itself.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return output;
    char buffer[65536];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
    pclose(pipe);
    return output;
}

/// Mono float samples of `seconds` of the movie's sound from `start` (ffmpeg decodes,
/// seeks and trims).
std::vector<float> movie_sound(const fs::path& movie, double start, double seconds) {
    char command[1024];
    std::snprintf(command, sizeof command,
                  "ffmpeg -v error -ss %.6f -i '%s' -t %.6f -vn -ac 1 -f f32le -", start,
                  movie.c_str(), seconds);
    const std::string bytes = run_command(command);
    std::vector<float> samples(bytes.size() / sizeof(float));
    std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
    return samples;
}

std::int64_t first_above(const std::vector<float>& samples, float threshold) {
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (std::abs(samples[i]) > threshold) return static_cast<std::int64_t>(i);
    return -1;
}

TEST(AudioLongCut, GivenAnHourLongCutClicksStayOnTheirPanelsFromStartToEnd) {
    testing::TempDir dir;
    // 4 panels at 23.976: 24 frames, 86,256 frames (~59:58), 24, 24 -> 86,328 frames.
    const fs::path project_file =
        testing::small_project(dir.path() / "p", 1, 4, "23.976", 24, 24).project_file;
    const std::vector<std::int64_t> holds = {24, 86256, 24, 24};
    testing::click_on_each_panel(project_file, holds);
    const fs::path out = dir.path() / "out";
    auto result = testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                          testing::write_fast_pipeline(dir.path()).string(),
                                          "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const fs::path movie = out / "sq010_prores.mov";
    const std::int64_t frames = 86328;
    const std::int64_t samples = frames * 2002;  // 48000 * 1001 / 24000 per frame
    const std::string probed = run_command(
        "ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts,sample_rate -of "
        "json '" +
        movie.string() + "'");
    const auto stream = nlohmann::json::parse(probed)["streams"][0];
    EXPECT_EQ(stream["sample_rate"], "48000");
    EXPECT_EQ(stream["duration_ts"].get<std::int64_t>(), samples)
        << "sound must be exactly the cut";

    std::int64_t start_frame = 0;
    for (std::size_t i = 0; i < holds.size(); ++i) {
        SCOPED_TRACE("panel " + std::to_string(i + 1));
        const double panel_start = static_cast<double>(start_frame) * 1001.0 / 24000.0;
        const double window_start = std::max(0.0, panel_start - 0.5);
        const auto sound = movie_sound(movie, window_start, 0.8);
        const std::int64_t at = first_above(sound, 0.4f);
        ASSERT_GE(at, 0);
        const double click_seconds = window_start + static_cast<double>(at) / 48000.0;
        EXPECT_NEAR(click_seconds, panel_start, 1001.0 / 24000.0) << "more than a frame off";
        start_frame += holds[i];
    }
}

}  // namespace
}  // namespace storyreel
