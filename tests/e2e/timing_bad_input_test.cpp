// Given a timed sequence that cannot be timed (undecodable track, marker past the end of
// the audio, more dialogue panels than lines, minimum holds longer than the audio), the
// storyreel command should say which sequence and what to change, exit 2 and write
// nothing.

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

struct BrokenProject {
    testing::TempDir dir;
    fs::path project_file;
    fs::path folder() const { return project_file.parent_path(); }

    /// Runs a build into dir/out; returns its result.
    testing::CliResult build() const {
        return testing::run_storyreel({"build", "--project", project_file.string(), "--pipeline",
                                       testing::write_fast_pipeline(dir.path()).string(), "--out",
                                       (dir.path() / "out").string()});
    }
};

/// Six panels timed as `timing` says against a 6 s track of tone bursts at 1 s and 3 s.
std::unique_ptr<BrokenProject> timed_project(const std::function<void(YAML::Node&)>& timing) {
    auto made = std::make_unique<BrokenProject>();
    made->project_file = testing::small_project(made->dir.path() / "p", 2, 3).project_file;
    testing::write_wav(made->folder() / "temp.wav",
                       testing::tone_bursts(6 * 48000, {48000, 144000}, 0.5), 1);
    testing::edit_project(made->project_file, [&](YAML::Node& root) {
        YAML::Node sequence = testing::first_sequence(root);
        sequence["audio"][0]["file"] = "temp.wav";
        for (auto panel : testing::panels_of(sequence)) panel.remove("dialogue");
        YAML::Node block = sequence["timing"];
        timing(block);
    });
    return made;
}

void expect_refused(const BrokenProject& project, const std::vector<std::string>& phrases) {
    const auto result = project.build();
    EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
    EXPECT_NE(result.err.find("sequence sq010"), std::string::npos) << result.err;
    for (const auto& phrase : phrases)
        EXPECT_NE(result.err.find(phrase), std::string::npos) << "missing '" << phrase << "' in\n"
                                                              << result.err;
    EXPECT_TRUE(testing::list_files_recursive(project.dir.path() / "out").empty())
        << "a refused build wrote into its output folder";
}

TEST(TimingBadInput, GivenATimingTrackThatCannotBeDecodedTheBuildNamesItAndStops) {
    auto project = timed_project([](YAML::Node& timing) { timing["mode"] = "fit"; });
    std::ofstream(project->folder() / "temp.wav", std::ios::trunc) << "RIFF this is not audio";
    expect_refused(*project, {"cannot decode the timing track", "convert"});
}

TEST(TimingBadInput, GivenAMarkerBeyondTheEndOfTheAudioTheBuildSaysSo) {
    auto project = timed_project([](YAML::Node& timing) {
        timing["mode"] = "markers";
        timing["markers"] = "labels.txt";
    });
    std::ofstream(project->folder() / "labels.txt")
        << "2.0\t2.0\tsh010/p003\n7.5\t7.5\tsh020/p002\n";
    expect_refused(*project, {"sh020/p002", "beyond the end of the audio", "ends at 6.000 s",
                              "move the marker"});
}

TEST(TimingBadInput, GivenMoreDialoguePanelsThanLinesTheBuildSaysWhatToChange) {
    auto project = timed_project([](YAML::Node& timing) { timing["mode"] = "dialogue"; });
    testing::edit_project(project->project_file, [](YAML::Node& root) {
        auto panels = testing::panels_of(testing::first_sequence(root));
        for (int i : {1, 2, 4}) panels[i]["dialogue"] = "a line";
    });
    expect_refused(*project,
                   {"3 panels carry dialogue but only 2 lines were detected", "threshold_db"});
}

TEST(TimingBadInput, GivenMinimumHoldsLongerThanTheAudioTheBuildSaysWhatToChange) {
    auto project = timed_project([](YAML::Node& timing) {
        timing["mode"] = "fit";
        timing["min_frames"] = 30;
    });
    expect_refused(*project, {"need at least 180 frames", "144 frames", "lower min_frames"});
}

TEST(TimingBadInput, GivenAnUnknownModeTheValidatorNamesTheLine) {
    auto project = timed_project([](YAML::Node& timing) { timing["mode"] = "guess"; });
    expect_refused(*project, {"unknown timing mode 'guess'", "project.yaml:"});
}

}  // namespace
}  // namespace storyreel
