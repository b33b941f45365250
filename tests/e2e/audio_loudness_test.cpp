// Given a loudness target on the audio stage, each movie's sound should measure at the
// target within 0.5 LU (measured again by ffmpeg's own ebur128 filter), with its true
// peak under the ceiling, and build.json should record what was measured and applied.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// Integrated loudness of the movie's sound according to the ffmpeg command line.
double ffmpeg_integrated_lufs(const fs::path& movie) {
    const std::string output = testing::ffmpeg_ebur128_summary(movie);
    std::smatch match;
    static const std::regex summary(R"(Integrated loudness:\s*\n\s*I:\s*(-?[0-9.]+) LUFS)");
    if (!std::regex_search(output, match, summary)) return 0;
    return std::stod(match[1]);
}

TEST(AudioLoudness, GivenATargetTheMovieMeasuresAtItWithinHalfALu) {
    testing::TempDir dir;
    const fs::path project_file =
        testing::small_project(dir.path() / "p", 1, 4, "24", 48, 48).project_file;
    // 8 s: a quiet tone with louder bursts, around -30 LUFS before normalisation.
    auto signal = testing::sine(8 * 48000, 440, 0.0075f);
    const auto bursts = testing::tone_bursts(8 * 48000, {48000, 192000, 300000}, 0.8, 0.025f);
    for (std::size_t i = 0; i < signal.size(); ++i) signal[i] += bursts[i];
    testing::use_temp_track(project_file, signal);
    const fs::path pipeline = dir.path() / "loud.yaml";
    std::ofstream(pipeline) << "pipeline: 1\nstages:\n"
                               "  - {name: ingest, type: ingest}\n"
                               "  - {name: conform, type: conform, needs: [ingest]}\n"
                               "  - {name: audio, type: audio, params: {loudness: "
                               "{integrated_lufs: -23, true_peak_dbtp: -1}}}\n"
                               "  - {name: prores, type: encode, needs: [conform, audio], params: "
                               "{codec: prores, profile: proxy}}\n";
    const fs::path out = dir.path() / "out";
    auto result = testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                          pipeline.string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    EXPECT_NEAR(ffmpeg_integrated_lufs(out / "sq010_prores.mov"), -23.0, 0.5);

    std::ifstream report_file(out / "build.json");
    const auto report = nlohmann::json::parse(report_file);
    nlohmann::json loudness;
    for (const auto& stage : report["stages"])
        if (stage["name"] == "audio") loudness = stage["report"]["loudness"][0];
    ASSERT_TRUE(loudness.is_object()) << report["stages"].dump(2);
    EXPECT_EQ(loudness["unit"], "sq010");
    EXPECT_LT(loudness["measured_lufs"].get<double>(), -26.0);
    EXPECT_NEAR(loudness["output_lufs"].get<double>(), -23.0, 0.5);
    EXPECT_LE(loudness["output_true_peak_dbtp"].get<double>(), -1.0 + 0.05);
    EXPECT_GT(loudness["gain_db"].get<double>(), 3.0);
}

}  // namespace
}  // namespace storyreel
