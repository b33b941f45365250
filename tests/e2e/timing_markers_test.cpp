// Given cut points in an Audacity label file, a WAV file's cue chunk, a CSV or a YAML
// file, a markers sequence should cut each named panel where its marker says and share
// the time between markers among the panels without one.

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "pipeline/build.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"
#include "tests/support/audio_fixtures.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kTrackSamples = 6 * 48000;  // 144 frames at 24 fps

struct MarkerProject {
    testing::TempDir dir;
    fs::path project_file;
    fs::path folder() const { return project_file.parent_path(); }
};

/// Six panels (sh010/p001..p003, sh020/p001..p003) timed by `markers` against a 6 s track.
std::unique_ptr<MarkerProject> marker_project(const std::string& markers_name,
                                              const std::string& markers_text) {
    auto made = std::make_unique<MarkerProject>();
    made->project_file = testing::small_project(made->dir.path() / "p", 2, 3).project_file;
    testing::write_wav(made->folder() / "temp.wav", testing::tone_bursts(kTrackSamples, {0}), 1);
    if (!markers_text.empty()) {
        std::ofstream out(made->folder() / markers_name, std::ios::binary);
        out << markers_text;
    }
    testing::edit_project(made->project_file, [&](YAML::Node& root) {
        YAML::Node sequence = testing::first_sequence(root);
        sequence["audio"][0]["file"] = "temp.wav";
        sequence["timing"]["mode"] = "markers";
        sequence["timing"]["markers"] = markers_name;
    });
    return made;
}

/// Panel "shot/panel" -> {first frame, frames, source}.
struct Cut {
    std::int64_t start, frames;
    std::string source;
};

std::map<std::string, Cut> cut_of(const fs::path& project_file) {
    BuildRequest request;
    request.project = project_file;
    request.pipeline = fs::path(STORYREEL_SOURCE_DIR) / "configs" / "animatic.yaml";
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    ValidatedBuild build = validate_build(request, builtin_stage_registry());
    std::map<std::string, Cut> cut;
    for (const auto& slot : build.plan.slots)
        cut[slot.shot->name + "/" + slot.panel->name] = {slot.cut_start_frame, slot.frames(),
                                                         slot.panel->timing.source};
    EXPECT_EQ(build.plan.cut_frame_count, 144);
    return cut;
}

TEST(TimingMarkers, GivenAnAudacityLabelFileEachNamedPanelStartsAtItsLabel) {
    auto project = marker_project("labels.txt",
                                  "0.000000\t0.000000\tsh010/p001\n"
                                  "1.500000\t1.500000\tsh010/p003\n"
                                  "\\\t100.000000\t2000.000000\n"  // spectral selection line
                                  "2.750000\t3.000000\tsh020/p002\n");
    auto cut = cut_of(project->project_file);
    EXPECT_EQ(cut["sh010/p001"].start, 0);
    EXPECT_EQ(cut["sh010/p003"].start, 36);
    EXPECT_EQ(cut["sh010/p003"].source, "marker");
    EXPECT_EQ(cut["sh020/p002"].start, 66);
    EXPECT_EQ(cut["sh010/p002"].source, "between");
    EXPECT_EQ(cut["sh020/p001"].start + cut["sh020/p001"].frames, 66);
    EXPECT_EQ(cut["sh020/p003"].start + cut["sh020/p003"].frames, 144);
}

TEST(TimingMarkers, GivenCuePointsInTheTrackItselfTheyCutWhereTheySay) {
    auto project = marker_project("temp.wav", "");
    testing::add_wav_cues(project->folder() / "temp.wav",
                          {{"sh010/p002", 48000}, {"sh020/p001", 144000}, {"sh020/p003", 264000}});
    auto cut = cut_of(project->project_file);
    EXPECT_EQ(cut["sh010/p002"].start, 24);
    EXPECT_EQ(cut["sh020/p001"].start, 72);
    EXPECT_EQ(cut["sh020/p003"].start, 132);
    EXPECT_EQ(cut["sh020/p003"].source, "marker");
}

TEST(TimingMarkers, GivenACsvWithSecondsAndTimecodesBothAreUsed) {
    auto project =
        marker_project("cuts.csv", "panel,time\nsh010/p002,1.0\nsh020/p003,00:00:04:12\n");
    auto cut = cut_of(project->project_file);
    EXPECT_EQ(cut["sh010/p002"].start, 24);
    EXPECT_EQ(cut["sh020/p003"].start, 108);
}

TEST(TimingMarkers, GivenAYamlMappingItIsUsed) {
    auto project = marker_project("cuts.yaml", "sh010/p003: 2.0\nsh020/p002: \"00:00:03:12\"\n");
    auto cut = cut_of(project->project_file);
    EXPECT_EQ(cut["sh010/p003"].start, 48);
    EXPECT_EQ(cut["sh020/p002"].start, 84);
}

TEST(TimingMarkers, GivenLabelsThatNameNoPanelOrTwoTheCommandSaysWhichLine) {
    auto project = marker_project("labels.txt", "1.0\t1.0\tp002\n2.0\t2.0\tsh030/p001\n");
    auto result = testing::run_storyreel({"timing", "--project", project->project_file.string()});
    EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
    EXPECT_NE(result.err.find("labels.txt:1:1"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("names more than one panel"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("labels.txt:2:1"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("'sh030/p001' names no panel"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace storyreel
