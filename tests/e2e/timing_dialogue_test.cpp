// Given a dialogue track with lines at known times (tone bursts, and speech from
// espeak-ng placed at known offsets), the panels that carry dialogue should be cut on the
// detected start of their line within one frame; the onsets should be written as an
// Audacity label file (and in build.json) that can be fed back as markers.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "media/audio_decoder.h"
#include "pipeline/build.h"
#include "pipeline/speech_detector.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"
#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

std::vector<SpeechSpan> detect(const std::vector<float>& signal,
                               SpeechDetectionSettings settings = {}) {
    SpeechDetector detector(settings, 48000);
    // Odd block sizes: the result must not depend on them.
    for (std::size_t at = 0; at < signal.size(); at += 777)
        detector.feed(signal.data() + at, std::min<std::size_t>(777, signal.size() - at));
    return detector.finish();
}

TEST(SpeechDetector, GivenBurstsItFindsEachStartWithinAWindow) {
    auto lines = detect(testing::tone_bursts(4 * 48000, {24000, 96000, 150000}, 0.5));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_NEAR(lines[0].start, 0.5, 0.011);
    EXPECT_NEAR(lines[1].start, 2.0, 0.011);
    EXPECT_NEAR(lines[2].start, 3.125, 0.011);
    EXPECT_NEAR(lines[0].end, 1.0, 0.011);
}

TEST(SpeechDetector, GivenAClickShorterThanTheMinimumSpeechItIsNotALine) {
    auto lines = detect(testing::tone_bursts(2 * 48000, {24000}, 0.03));
    EXPECT_TRUE(lines.empty());
}

TEST(SpeechDetector, GivenAGapShorterThanTheMinimumSilenceTheLineGoesOn) {
    // Two 0.3 s bursts 0.1 s apart: one line with the default 0.25 s minimum silence,
    // two with 0.05 s.
    auto signal = testing::tone_bursts(2 * 48000, {24000, 24000 + 19200}, 0.3);
    EXPECT_EQ(detect(signal).size(), 1u);
    SpeechDetectionSettings eager;
    eager.min_silence_seconds = 0.05;
    EXPECT_EQ(detect(signal, eager).size(), 2u);
}

/// Six panels (sh010/p001..p003, sh020/p001..p003), dialogue on `speaking` ones, timed
/// by `track` (written next to project.yaml as dialogue.wav).
struct DialogueProject {
    testing::TempDir dir;
    fs::path project_file;
    fs::path folder() const { return project_file.parent_path(); }
};

std::unique_ptr<DialogueProject> dialogue_project(const std::vector<float>& track,
                                                  const std::vector<int>& speaking) {
    auto made = std::make_unique<DialogueProject>();
    made->project_file = testing::small_project(made->dir.path() / "p", 2, 3).project_file;
    testing::write_wav(made->folder() / "dialogue.wav", track, 1);
    testing::edit_project(made->project_file, [&](YAML::Node& root) {
        YAML::Node sequence = testing::first_sequence(root);
        sequence["audio"][0]["file"] = "dialogue.wav";
        sequence["timing"]["mode"] = "dialogue";
        auto panels = testing::panels_of(sequence);
        for (auto& panel : panels) panel.remove("dialogue");
        for (int index : speaking) panels[index]["dialogue"] = "line " + std::to_string(index);
    });
    return made;
}

std::vector<std::int64_t> panel_starts(const fs::path& project_file) {
    BuildRequest request;
    request.project = project_file;
    request.pipeline = fs::path(STORYREEL_SOURCE_DIR) / "configs" / "animatic.yaml";
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    ValidatedBuild build = validate_build(request, builtin_stage_registry());
    std::vector<std::int64_t> starts;
    for (const auto& slot : build.plan.slots) starts.push_back(slot.cut_start_frame);
    return starts;
}

TEST(TimingDialogue, GivenToneBurstLinesTheDialoguePanelsStartOnThemWithinAFrame) {
    // Lines at 1.30, 3.55 and 6.10 s; a 20 ms click at 5.0 s is not a line.
    auto track = testing::tone_bursts(8 * 48000, {62400, 170400, 292800}, 0.6);
    const auto click = testing::tone_bursts(8 * 48000, {240000}, 0.02);
    for (std::size_t i = 240000; i < 241000; ++i) track[i] = click[i];
    auto project = dialogue_project(track, {1, 3, 5});
    const auto starts = panel_starts(project->project_file);
    ASSERT_EQ(starts.size(), 6u);
    EXPECT_NEAR(starts[1], 1.30 * 24, 1.0);
    EXPECT_NEAR(starts[3], 3.55 * 24, 1.0);
    EXPECT_NEAR(starts[5], 6.10 * 24, 1.0);
}

TEST(TimingDialogue, GivenABuildTheOnsetsAreWrittenAndFeedBackAsTheSameCut) {
    auto track = testing::tone_bursts(8 * 48000, {62400, 170400, 292800}, 0.6);
    auto project = dialogue_project(track, {1, 3, 5});
    const fs::path out = project->dir.path() / "out";
    auto result = testing::run_storyreel(
        {"build", "--project", project->project_file.string(), "--pipeline",
         testing::write_fast_pipeline(project->dir.path()).string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const fs::path labels = out / "sq010_dialogue_onsets.txt";
    ASSERT_TRUE(fs::exists(labels));
    std::ifstream report_file(out / "build.json");
    const auto report = nlohmann::json::parse(report_file);
    const auto& lines = report["sequence_timing"][0]["detected_lines"];
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1]["panel"], "sh020/p001");
    EXPECT_NEAR(lines[1]["start_seconds"].get<double>(), 3.55, 0.011);
    EXPECT_EQ(report["timing"][3]["timing_source"], "dialogue");

    const auto detected = panel_starts(project->project_file);
    fs::copy_file(labels, project->folder() / "corrected.txt");
    testing::edit_project(project->project_file, [](YAML::Node& root) {
        YAML::Node sequence = testing::first_sequence(root);
        sequence["timing"]["mode"] = "markers";
        sequence["timing"]["markers"] = "corrected.txt";
    });
    EXPECT_EQ(panel_starts(project->project_file), detected);
}

/// Speech from espeak-ng, decoded at 48 kHz mono.
std::vector<float> spoken(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path file = dir / (name + ".wav");
    const std::string command = "espeak-ng -w '" + file.string() + "' '" + text + "'";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("espeak-ng failed: " + command);
    std::vector<float> mono;
    decode_audio_file(file, [&](const float* stereo, int count) {
        for (int i = 0; i < count; ++i) mono.push_back(0.5f * (stereo[2 * i] + stereo[2 * i + 1]));
    });
    return mono;
}

TEST(TimingDialogue, GivenSpeechPlacedAtKnownOffsetsTheCutsLandWithinAFrame) {
    testing::TempDir scratch;
    const std::vector<std::pair<std::string, std::int64_t>> lines = {
        {"Where are you going?", 38400},
        {"To the lighthouse, before the storm.", 139200},
        {"Then take the lantern.", 283200}};
    std::vector<float> track(8 * 48000, 0.f);
    std::vector<double> truth;
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const auto speech = spoken(scratch.path(), "line" + std::to_string(k), lines[k].first);
        std::size_t first = 0;
        while (first < speech.size() && std::abs(speech[first]) < 0.02f) ++first;
        ASSERT_LT(first, speech.size());
        truth.push_back(static_cast<double>(lines[k].second + static_cast<std::int64_t>(first)) /
                        48000.0);
        for (std::size_t i = 0; i < speech.size() && lines[k].second + i < track.size(); ++i)
            track[lines[k].second + i] += speech[i];
    }
    auto project = dialogue_project(track, {1, 2, 4});
    const auto starts = panel_starts(project->project_file);
    EXPECT_NEAR(starts[1], truth[0] * 24, 1.0);
    EXPECT_NEAR(starts[2], truth[1] * 24, 1.0);
    EXPECT_NEAR(starts[4], truth[2] * 24, 1.0);
}

}  // namespace
}  // namespace storyreel
