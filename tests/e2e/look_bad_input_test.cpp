// Bad look configuration is refused before any work, with the file:line and the panel or
// burn-in slot at fault, exit code 2 and no output: unknown burn-in fields, camera
// keyframes outside the panel, transitions longer than a neighbour.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "demo/demo_project.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::describe;
using testing::run_storyreel;

constexpr const char* kPipeline = R"(pipeline: 1
name: look-bad-input
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - name: burn
    type: burnins
    needs: [conform]
    params:
      top_left: "{shot} {panel}"
      bottom_left: "{timecode} {colour}"
  - {name: prores, type: encode, needs: [burn], params: {codec: prores, profile: proxy}}
)";

/// 1-based number of the first line of `text` containing `part`; 0 if none.
int line_of(const std::string& text, const std::string& part) {
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number)
        if (line.find(part) != std::string::npos) return number;
    return 0;
}

class LookBadInput : public ::testing::Test {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 2;
        options.panels_per_shot = 2;
        options.min_hold_frames = 6;
        options.max_hold_frames = 10;
        options.width = 320;
        options.height = 180;
        options.varied_formats = false;
        options.with_audio = false;
        project_ = demo::write_demo_project(dir_.path() / "project", options);
    }

    /// Sets `key` of panel `index` (cut order, 2 per shot) to `yaml` and rewrites project.yaml.
    std::string set_panel_key(int index, const std::string& key, const std::string& yaml) {
        YAML::Node root = YAML::LoadFile(project_.project_file.string());
        root["sequences"][0]["shots"][index / 2]["panels"][index % 2][key] = YAML::Load(yaml);
        YAML::Emitter out;
        out << root;
        std::ofstream(project_.project_file) << out.c_str() << "\n";
        return out.c_str();
    }

    testing::CliResult build(const std::string& pipeline) {
        const fs::path file = dir_.path() / "pipeline.yaml";
        std::ofstream(file) << pipeline;
        return run_storyreel({"build", "--project", project_.project_file.string(), "--pipeline",
                              file.string(), "--out", out().string()});
    }

    fs::path out() const { return dir_.path() / "out"; }
    std::string panel_name(int index) const {
        const auto& panel = project_.panels.at(index);
        return panel.sequence + "/" + panel.shot + "/" + panel.panel;
    }
    bool wrote_movies() const {
        for (const auto& entry : testing::list_files_recursive(out()))
            if (entry.extension() == ".mov" || entry.filename() == "build.json") return true;
        return false;
    }

    testing::TempDir dir_;
    demo::DemoProject project_;
};

const std::string kPlainPipeline = std::regex_replace(kPipeline, std::regex(R"( \{colour\})"), "");

TEST_F(LookBadInput, UnknownBurnInFieldNamesThePipelineLine) {
    const auto result = build(kPipeline);
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    const std::string where = "pipeline.yaml:" + std::to_string(line_of(kPipeline, "bottom_left"));
    EXPECT_NE(result.err.find(where), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("unknown burn-in field '{colour}'"), std::string::npos)
        << describe(result);
    EXPECT_NE(result.err.find("timecode"), std::string::npos) << "lists the known fields\n"
                                                              << describe(result);
    EXPECT_FALSE(wrote_movies());
}

TEST_F(LookBadInput, CameraKeyframeOutsideThePanel) {
    const std::string frames = std::to_string(project_.panels[1].frames);
    const std::string text =
        set_panel_key(1, "camera", "{keys: [{frame: 0, zoom: 1}, {frame: 500, zoom: 2}]}");
    const auto result = build(kPlainPipeline);
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    const std::string where = "project.yaml:" + std::to_string(line_of(text, "frame: 500"));
    EXPECT_NE(result.err.find(where), std::string::npos) << describe(result) << text;
    EXPECT_NE(result.err.find(panel_name(1)), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("keyframe at frame 500 is outside the panel"), std::string::npos)
        << describe(result);
    EXPECT_FALSE(wrote_movies());

    set_panel_key(1, "camera", "{keys: [{frame: 0, centre: [1.5, 0.5]}]}");
    const auto off_side = build(kPlainPipeline);
    EXPECT_EQ(off_side.exit_code, kExitInvalidConfig) << describe(off_side);
    EXPECT_NE(off_side.err.find("keyframe centre is outside the panel"), std::string::npos)
        << describe(off_side);
    EXPECT_NE(off_side.err.find(panel_name(1)), std::string::npos) << describe(off_side);
}

TEST_F(LookBadInput, DissolveLongerThanTheShorterNeighbour) {
    // Panel 2 opens shot 2: the dissolve crosses the shot cut.
    const long long shorter = std::min(project_.panels[1].frames, project_.panels[2].frames);
    const std::string text = set_panel_key(
        2, "transition", "{type: dissolve, frames: " + std::to_string(shorter + 1) + "}");
    const auto result = build(kPlainPipeline);
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_NE(result.err.find("project.yaml:"), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find(panel_name(2)), std::string::npos) << describe(result);
    EXPECT_NE(result.err.find("longer than the shorter neighbour"), std::string::npos)
        << describe(result);
    EXPECT_NE(result.err.find("at most " + std::to_string(shorter) + " frames"), std::string::npos)
        << describe(result);
    EXPECT_FALSE(wrote_movies());

    set_panel_key(0, "transition", "{type: dissolve, frames: 2}");
    const auto first = build(kPlainPipeline);
    EXPECT_EQ(first.exit_code, kExitInvalidConfig) << describe(first);
    EXPECT_NE(first.err.find("dissolve into the first panel of the cut"), std::string::npos)
        << describe(first);
}

}  // namespace
}  // namespace storyreel
