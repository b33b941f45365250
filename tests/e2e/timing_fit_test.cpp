// Given panels and a run of frames, fitting should divide the frames proportionally,
// within each panel's limits, and add up to exactly the run; and given a temp track, a
// fit sequence should last exactly the track at 23.976, 24 and 25 fps — in the plan and
// in the encoded movie.

#include "pipeline/timing_fit.h"

#include <gtest/gtest.h>

#include <numeric>

#include "pipeline/build.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"
#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

std::int64_t sum(const std::vector<std::int64_t>& values) {
    return std::accumulate(values.begin(), values.end(), std::int64_t{0});
}

TEST(TimingFit, GivenEqualWeightsTheRemainderGoesToTheFirstPanels) {
    std::string why;
    auto frames = fit_frames({{1, 1, 0}, {1, 1, 0}, {1, 1, 0}}, 10, why);
    ASSERT_TRUE(frames) << why;
    EXPECT_EQ(*frames, (std::vector<std::int64_t>{4, 3, 3}));
}

TEST(TimingFit, GivenUnevenWeightsLargestRemaindersGetTheSpareFrames) {
    std::string why;
    // Shares 24*100/70 = 34.29, 24*... : weights 10, 25, 35 of 100 frames -> 14.29, 35.71, 50.
    auto frames = fit_frames({{10, 1, 0}, {25, 1, 0}, {35, 1, 0}}, 100, why);
    ASSERT_TRUE(frames) << why;
    EXPECT_EQ(*frames, (std::vector<std::int64_t>{14, 36, 50}));
}

TEST(TimingFit, GivenManyPanelsTheSumIsAlwaysExact) {
    std::vector<FitPanel> panels;
    for (int i = 0; i < 97; ++i) panels.push_back({1.0 + (i * 37 % 11) * 0.731, 1, 0});
    for (std::int64_t total : {97LL, 1000LL, 86313LL, 172651LL}) {
        std::string why;
        auto frames = fit_frames(panels, total, why);
        ASSERT_TRUE(frames) << why;
        EXPECT_EQ(sum(*frames), total);
    }
}

TEST(TimingFit, GivenLimitsTheyAreRespectedAndTheRestStaysProportional) {
    std::string why;
    // Panel 0 would get 10 of 100 frames but must hold 30; panel 2 would get 60 but may hold 40.
    auto frames = fit_frames({{1, 30, 0}, {3, 1, 0}, {6, 1, 40}}, 100, why);
    ASSERT_TRUE(frames) << why;
    EXPECT_EQ(*frames, (std::vector<std::int64_t>{30, 30, 40}));
}

TEST(TimingFit, GivenMinimumsLongerThanTheAudioItSaysWhy) {
    std::string why;
    EXPECT_FALSE(fit_frames({{1, 24, 0}, {1, 24, 0}}, 40, why));
    EXPECT_NE(why.find("at least 48 frames"), std::string::npos) << why;
    EXPECT_FALSE(fit_frames({{1, 1, 10}, {1, 1, 10}}, 40, why));
    EXPECT_NE(why.find("at most 20 frames"), std::string::npos) << why;
}

/// One sequence fitted to a track of exactly `frames` frames at `rate`.
struct FittedProject {
    testing::TempDir dir;
    fs::path project_file;
    std::int64_t track_samples = 0;
};

std::unique_ptr<FittedProject> fitted_project(const std::string& rate, std::int64_t track_samples) {
    auto fitted = std::make_unique<FittedProject>();
    auto project = testing::small_project(fitted->dir.path() / "p", 2, 3, rate);
    fitted->project_file = project.project_file;
    fitted->track_samples = track_samples;
    testing::write_wav(fitted->dir.path() / "p" / "temp.wav",
                       testing::tone_bursts(track_samples, {0, track_samples / 2}), 1);
    testing::edit_project(project.project_file, [](YAML::Node& root) {
        YAML::Node sequence = testing::first_sequence(root);
        sequence["timing"]["mode"] = "fit";
        sequence["audio"][0]["file"] = "temp.wav";
    });
    return fitted;
}

ValidatedBuild validate(const fs::path& project_file) {
    BuildRequest request;
    request.project = project_file;
    request.pipeline = fs::path(STORYREEL_SOURCE_DIR) / "configs" / "animatic.yaml";
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    return validate_build(request, builtin_stage_registry());
}

TEST(TimingFit, GivenATrackTheSequenceLastsExactlyItsLengthAtNtscAndWholeRates) {
    struct Case {
        const char* rate;
        std::int64_t samples_per_frame_num, samples_per_frame_den;
    } cases[] = {{"23.976", 2002, 1}, {"24", 2000, 1}, {"25", 1920, 1}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.rate);
        const std::int64_t frames = 317;
        auto fitted = fitted_project(c.rate, frames * c.samples_per_frame_num);
        ValidatedBuild build = validate(fitted->project_file);
        EXPECT_EQ(build.plan.cut_frame_count, frames);
        for (const auto& slot : build.plan.slots) EXPECT_EQ(slot.panel->timing.source, "fit");
        ASSERT_EQ(build.plan.units.size(), 1u);
        EXPECT_EQ(build.plan.units[0].sample_count, fitted->track_samples);
    }
}

TEST(TimingFit, GivenATrackNotAWholeNumberOfFramesTheCutEndsOnTheNearestFrame) {
    auto fitted = fitted_project("23.976", 48000 * 7 + 123);  // 7.0026 s = 167.89 frames
    EXPECT_EQ(validate(fitted->project_file).plan.cut_frame_count, 168);
}

TEST(TimingFit, GivenAFitSequenceTheMovieSoundIsTheTrackToTheSample) {
    const std::int64_t frames = 120;
    auto fitted = fitted_project("23.976", frames * 2002);
    const fs::path out = fitted->dir.path() / "out";
    auto result = testing::run_storyreel(
        {"build", "--project", fitted->project_file.string(), "--pipeline",
         testing::write_fast_pipeline(fitted->dir.path()).string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const auto audio = testing::decode_audio_mono(out / "sq010_prores.mov");
    EXPECT_EQ(static_cast<std::int64_t>(audio.size()), fitted->track_samples);
    // The second burst sits in the middle of the track; it must be there in the movie.
    EXPECT_NEAR(static_cast<double>(testing::find_onset(audio, 30000, 0.1f)),
                static_cast<double>(fitted->track_samples / 2) + 3, 2.0);  // sine crosses 0.1 at +3
    std::int64_t decoded = testing::decode_video(
        out / "sq010_prores.mov", [](std::int64_t) { return false; },
        [](std::int64_t, const testing::RgbPicture&) {});
    EXPECT_EQ(decoded, frames);
}

TEST(TimingCommand, GivenAFitProjectItPrintsEveryPanelWithItsSourceWithoutRendering) {
    auto fitted = fitted_project("24", 240 * 2000);
    auto result = testing::run_storyreel({"timing", "--project", fitted->project_file.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    EXPECT_NE(result.out.find("sq010/sh010/p001  01:00:00:00"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("sq010/sh020/p003"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(" fit "), std::string::npos) << result.out;
    EXPECT_TRUE(testing::list_files_recursive(fitted->dir.path() / "out").empty());
}

}  // namespace
}  // namespace storyreel
