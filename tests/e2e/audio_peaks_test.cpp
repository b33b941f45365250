// Without a loudness target the audio stage still measures each movie's true peak, so the
// production checks' clipping test (audio_overrun) runs on every build. The figure is
// compared with ffmpeg's own ebur128 true-peak meter on the same sound, and only the loud
// stretches go through the oversampling meter.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// The true peak (dBTP) of `file`'s sound according to the ffmpeg command line.
double ffmpeg_true_peak_dbtp(const fs::path& file) {
    const std::string output = testing::ffmpeg_ebur128_summary(file);
    std::smatch match;
    static const std::regex summary(R"(True peak:\s*\n\s*Peak:\s*(-?[0-9.]+) dBFS)");
    if (!std::regex_search(output, match, summary)) return -999;
    return std::stod(match[1]);
}

struct PeakBuild {
    nlohmann::json peaks;     ///< the audio stage's report
    nlohmann::json findings;  ///< build.json's audio_overrun findings
    fs::path temp_track;
};

/// 8 s of a quiet tone; `over_amplitude` > 0 adds half a second of a quarter-sample-rate
/// tone sampled 45° off its crests: its samples sit at 0.707 of its true peak.
PeakBuild build_with_temp_track(const testing::TempDir& dir, float over_amplitude) {
    const fs::path project_file =
        testing::small_project(dir.path() / "p", 1, 4, "24", 48, 48).project_file;
    std::vector<float> signal = testing::sine(8 * 48000, 440, 0.05f);
    constexpr double kPi = 3.14159265358979323846;
    for (int n = 0; over_amplitude > 0 && n < 24000; ++n)
        signal[96000 + n] = over_amplitude * static_cast<float>(std::sin(kPi * n / 2 + kPi / 4));
    PeakBuild result;
    result.temp_track = testing::use_temp_track(project_file, signal);
    const fs::path pipeline = dir.path() / "peaks.yaml";
    std::ofstream(pipeline) << "pipeline: 1\nstages:\n"
                               "  - {name: ingest, type: ingest}\n"
                               "  - {name: conform, type: conform, needs: [ingest]}\n"
                               "  - {name: audio, type: audio}\n"
                               "  - {name: prores, type: encode, needs: [conform, audio], params: "
                               "{codec: prores, profile: proxy}}\n";
    const fs::path out = dir.path() / "out";
    const auto built =
        testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                pipeline.string(), "--out", out.string()});
    EXPECT_EQ(built.exit_code, 0) << testing::describe(built);
    std::ifstream report_file(out / "build.json");
    const auto report = nlohmann::json::parse(report_file);
    for (const auto& stage : report["stages"])
        if (stage["name"] == "audio") result.peaks = stage["report"]["peaks"];
    result.findings = nlohmann::json::array();
    for (const auto& finding : report["checks"]["findings"])
        if (finding["rule"] == "audio_overrun") result.findings.push_back(finding);
    return result;
}

TEST(AudioPeaks, AnIntersampleOverIsFoundWithoutALoudnessTargetAndAgreesWithFfmpeg) {
    testing::TempDir dir;
    const PeakBuild build = build_with_temp_track(dir, 1.2f);  // samples at -1.4 dBFS, TP +1.6
    ASSERT_TRUE(build.peaks.is_array() && build.peaks.size() == 1) << build.peaks.dump(2);
    const auto& unit = build.peaks[0];
    EXPECT_EQ(unit["unit"], "sq010");
    EXPECT_NEAR(unit["sample_peak_dbfs"].get<double>(), 20 * std::log10(1.2 * std::sqrt(0.5)),
                0.05);
    const double reference = ffmpeg_true_peak_dbtp(build.temp_track);
    EXPECT_GT(reference, 1.0) << "the fixture is an intersample over";
    EXPECT_NEAR(unit["true_peak_dbtp"].get<double>(), reference, 0.3);
    // Only the loud half second (and a block of context either side) was oversampled.
    EXPECT_GT(unit["true_peak_measured_seconds"].get<double>(), 0.45);
    EXPECT_LT(unit["true_peak_measured_seconds"].get<double>(), 0.75);
    ASSERT_EQ(build.findings.size(), 1u) << build.findings.dump(2);
    EXPECT_NEAR(build.findings[0]["measured"].get<double>(), reference, 0.3);
    EXPECT_EQ(build.findings[0]["limit"].get<double>(), 0.0);
}

TEST(AudioPeaks, AQuietMixIsNotOversampledAndRaisesNothing) {
    testing::TempDir dir;
    const PeakBuild build = build_with_temp_track(dir, 0);
    ASSERT_TRUE(build.peaks.is_array() && build.peaks.size() == 1) << build.peaks.dump(2);
    EXPECT_NEAR(build.peaks[0]["sample_peak_dbfs"].get<double>(), 20 * std::log10(0.05), 0.05);
    EXPECT_EQ(build.peaks[0]["true_peak_measured_seconds"].get<double>(), 0.0);
    EXPECT_TRUE(build.findings.empty()) << build.findings.dump(2);
}

}  // namespace
}  // namespace storyreel
