// Given a build that fails after the cut lists could have been written (a board found
// broken while building), no cut list is left in the output folder.
//
// Every list's content, at every editorial rate and through every transition, is checked
// in editorial_interchange_test.cpp (read by OTIO's adapters' rules, by the formats' own
// rules and by storyreel's readers, against build.json), the EDL's columns and parts in
// tests/unit/editorial/editorial_edl_test.cpp and editorial_limits_test.cpp.

#include <gtest/gtest.h>

#include <fstream>

#include "demo/demo_project.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fast_pipeline.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// The fast proxy pipeline with cut lists of its ProRes movie.
const std::string kPipeline = std::string(testing::kFastProxyPipeline) +
                              "  - {name: lists, type: cut_lists, params: {formats: [edl, otio, "
                              "xmeml, fcpxml], movie: prores}}\n";

TEST(CutListsFailedBuild, LeavesNoCutListBehind) {
    testing::TempDir dir;
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 1;
    options.panels_per_shot = 3;
    options.min_hold_frames = 4;
    options.max_hold_frames = 6;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    const auto project = demo::write_demo_project(dir.path() / "project", options);
    std::ofstream(dir.path() / "project" / project.panels[2].board_file, std::ios::trunc)
        << "not a PNG";  // found broken while building, after the lists could be written
    std::ofstream(dir.path() / "pipeline.yaml") << kPipeline;
    const auto result = testing::run_storyreel(
        {"build", "--project", project.project_file.string(), "--pipeline",
         (dir.path() / "pipeline.yaml").string(), "--out", (dir.path() / "out").string()});
    EXPECT_EQ(result.exit_code, kExitBuildFailed) << testing::describe(result);
    for (const auto& entry : testing::list_files_recursive(dir.path() / "out")) {
        const std::string name = entry.filename().string();
        EXPECT_TRUE(
            name.find(".edl") == std::string::npos && name.find(".otio") == std::string::npos &&
            name.find(".xml") == std::string::npos && name.find(".fcpxml") == std::string::npos)
            << "left behind: " << entry;
    }
}

}  // namespace
}  // namespace storyreel
