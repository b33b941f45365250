#include "tests/support/review_project.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/audio_fixtures.h"
#include "tests/support/check_projects.h"
#include "tests/support/cli_runner.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

ReviewProject write_review_project(const fs::path& dir, const std::string& report_params) {
    std::vector<TestPanel> panels(4);
    panels[0].name = "p001";
    panels[0].dialogue = "<script>alert(1)</script> & \\\"quoted\\\" 'single'";
    panels[1].name = "p002";
    panels[1].frames = 12;  // far too short for its line: a finding
    panels[1].dialogue =
        "Привет, как дела? This line runs far too long to be spoken in half a second of screen "
        "time";
    panels[1].extra_yaml = "camera: {keys: [{frame: 0, zoom: 1.0}, {frame: 11, zoom: 1.5}]}";
    panels[2].name = "p001";
    panels[2].shot = "sh020";
    panels[2].extra_yaml = "notes: \"Storm & <b>lightning</b>\"";
    panels[3].name = "p002";
    panels[3].shot = "sh020";
    panels[3].extra_yaml = "transition: {type: dissolve, frames: 8}";
    for (auto& panel : panels) {
        panel.width = 320;
        panel.height = 180;
    }
    panels[2].board = "sh020_p001.png";
    panels[3].board = "sh020_p002.png";
    const std::int64_t samples = 48000 * (48 + 12 + 48 + 48) / 24;
    fs::create_directories(dir / "audio");
    write_wav(dir / "audio" / "temp.wav", sine(samples, 440.0, 0.5f), 1);
    ReviewProject project;
    project.project = write_check_project(
        dir, panels, {}, "    audio: [{file: audio/temp.wav, role: dialogue}]\n",
        "{name: 'A & B \"Pilot\" <script>', frame_rate: \"24\", resolution: 320x180}");
    project.boards = dir / "boards";
    project.panels = static_cast<int>(panels.size());
    project.pipeline = dir / "review.yaml";
    std::ofstream(project.pipeline)
        << "pipeline: 1\nname: review\nstages:\n"
           "  - {name: ingest, type: ingest}\n"
           "  - {name: conform, type: conform, needs: [ingest]}\n"
           "  - {name: temp_audio, type: audio}\n"
           "  - {name: review, type: encode, needs: [conform, temp_audio],"
           " params: {codec: h264, crf: 30, preset: ultrafast}}\n"
           "  - {name: report, type: report, needs: [conform, temp_audio]" +
               (report_params.empty() ? "" : ", params: " + report_params) + "}\n";
    return project;
}

void build_review_project(const ReviewProject& project, const fs::path& out,
                          const std::vector<std::string>& extra) {
    std::vector<std::string> args{
        "build", "--project", project.project.string(), "--pipeline", project.pipeline.string(),
        "--out", out.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run_storyreel(args);
    ASSERT_EQ(result.exit_code, 0) << describe(result);
}

}  // namespace storyreel::testing
