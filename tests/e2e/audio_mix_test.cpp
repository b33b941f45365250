// Given several temp tracks and per-panel clips, the movie's sound should be their float
// sum: each track at its own level however many play (no `amix`-style division), with
// gain, fades, mute and solo applied, and panel clips starting on their panel's first
// frame and running past it.

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// Stereo (both channels equal) from mono.
std::vector<float> stereo(const std::vector<float>& mono) {
    std::vector<float> both;
    both.reserve(mono.size() * 2);
    for (float value : mono) both.insert(both.end(), {value, value});
    return both;
}

/// A 4 s, 24 fps project (one shot of 4 panels of 24 frames) whose sequence audio is set
/// by `audio` (a YAML list); built into dir/out; returns the movie's sound (mono).
struct MixProject {
    testing::TempDir dir;
    fs::path project_file;
    fs::path folder() const { return project_file.parent_path(); }

    MixProject() {
        project_file = testing::small_project(dir.path() / "p", 1, 4, "24", 24, 24).project_file;
    }
    void write(const std::string& name, const std::vector<float>& mono) const {
        testing::write_wav(folder() / name, stereo(mono), 2);
    }
    std::vector<float> build(const std::function<void(YAML::Node&)>& edit) const {
        testing::edit_project(project_file, [&](YAML::Node& root) {
            root.remove("audio");
            YAML::Node sequence = testing::first_sequence(root);
            sequence.remove("audio");
            edit(sequence);
        });
        const fs::path out = dir.path() / "out";
        fs::remove_all(out);
        auto result = testing::run_storyreel(
            {"build", "--project", project_file.string(), "--pipeline",
             testing::write_fast_pipeline(dir.path()).string(), "--out", out.string()});
        EXPECT_EQ(result.exit_code, 0) << testing::describe(result);
        return testing::decode_audio_mono(out / "sq010_prores.mov");
    }
};

double rms(const std::vector<float>& samples, double from_seconds, double to_seconds) {
    const auto from = static_cast<std::size_t>(from_seconds * 48000);
    const auto to = std::min(samples.size(), static_cast<std::size_t>(to_seconds * 48000));
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(samples[i]) * samples[i];
    return to > from ? std::sqrt(sum / static_cast<double>(to - from)) : 0.0;
}

double db(double ratio) { return 20 * std::log10(ratio); }

YAML::Node entry(const std::string& file) {
    YAML::Node node;
    node["file"] = file;
    return node;
}

TEST(AudioMix, GivenTwoTracksAtZeroDbEachKeepsTheLevelItHasAlone) {
    MixProject project;
    // Music for 4 s; dialogue from 2 s on (a different pitch, uncorrelated).
    project.write("music.wav", testing::sine(4 * 48000, 440, 0.25f));
    auto dialogue = testing::sine(2 * 48000, 1000, 0.25f);
    dialogue.insert(dialogue.begin(), 2 * 48000, 0.f);
    project.write("dialogue.wav", dialogue);
    const auto alone = project.build(
        [](YAML::Node& sequence) { sequence["audio"].push_back(entry("music.wav")); });
    const auto both = project.build([](YAML::Node& sequence) {
        sequence["audio"].push_back(entry("music.wav"));
        YAML::Node line = entry("dialogue.wav");
        line["role"] = "dialogue";
        sequence["audio"].push_back(line);
    });
    ASSERT_EQ(both.size(), 4u * 48000);
    const double sine_rms = 0.25 / std::sqrt(2.0);
    EXPECT_NEAR(db(rms(alone, 0.1, 1.9) / sine_rms), 0.0, 0.05);
    EXPECT_NEAR(db(rms(both, 0.1, 1.9) / sine_rms), 0.0, 0.05)
        << "music changed level when dialogue was added";
    // Where both play, their powers add: each is still at its own level.
    EXPECT_NEAR(db(rms(both, 2.1, 3.9) / (sine_rms * std::sqrt(2.0))), 0.0, 0.1);
}

TEST(AudioMix, GivenGainFadesMuteAndSoloTheyShapeTheMix) {
    MixProject project;
    project.write("tone.wav", testing::sine(4 * 48000, 440, 0.5f));
    project.write("other.wav", testing::sine(4 * 48000, 1000, 0.5f));
    const double full = 0.5 / std::sqrt(2.0);
    const auto gained = project.build([](YAML::Node& sequence) {
        YAML::Node track = entry("tone.wav");
        track["gain_db"] = -6;
        track["fade_in"] = 1.0;
        track["fade_out"] = 1.0;
        sequence["audio"].push_back(track);
        YAML::Node muted = entry("other.wav");
        muted["mute"] = true;
        sequence["audio"].push_back(muted);
    });
    EXPECT_NEAR(db(rms(gained, 1.5, 2.5) / full), -6.0, 0.05);
    EXPECT_LT(rms(gained, 0.0, 0.1), 0.1 * full) << "no fade-in";
    EXPECT_NEAR(db(rms(gained, 0.45, 0.55) / full), -6.0 + db(0.5), 0.3) << "fade-in not linear";
    EXPECT_LT(rms(gained, 3.9, 4.0), 0.1 * full) << "no fade-out";
    const auto soloed = project.build([](YAML::Node& sequence) {
        sequence["audio"].push_back(entry("tone.wav"));
        YAML::Node solo = entry("other.wav");
        solo["solo"] = true;
        solo["gain_db"] = -20;
        sequence["audio"].push_back(solo);
    });
    EXPECT_NEAR(db(rms(soloed, 0.5, 3.5) / full), -20.0, 0.05) << "only the solo track should play";
}

TEST(AudioMix, GivenPanelClipsTheyStartOnTheirPanelAndRunPastIt) {
    MixProject project;
    // A 1.5 s tone: longer than the 1 s panels it belongs to.
    project.write("clip.wav", testing::tone_bursts(72000, {0}, 1.5, 0.5f));
    const auto sound = project.build([](YAML::Node& sequence) {
        auto panels = testing::panels_of(sequence);
        panels[1]["audio"].push_back(entry("clip.wav"));
        YAML::Node late = entry("clip.wav");
        late["offset"] = 0.25;
        panels[3]["audio"].push_back(late);
    });
    ASSERT_EQ(sound.size(), 4u * 48000);
    // Panel 2 starts at frame 24 = 1 s; panel 4 at 3 s, its clip 0.25 s later.
    EXPECT_NEAR(static_cast<double>(testing::find_onset(sound, 0, 0.1f)), 48000 + 3, 2);
    EXPECT_GT(rms(sound, 2.1, 2.4), 0.3) << "the clip should run past its panel";
    EXPECT_NEAR(static_cast<double>(testing::find_onset(sound, 2 * 48000 + 30000, 0.1f)),
                3.25 * 48000 + 3, 2);
    // Trimmed at the cut's end: exactly 4 s of sound, no padding.
    EXPECT_GT(rms(sound, 3.9, 4.0), 0.3);
}

}  // namespace
}  // namespace storyreel
