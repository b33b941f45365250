// What delivery tools read from a movie's metadata, as they read it (ffprobe, and
// mediainfo where installed): given one build writing DNxHR in MXF, ProRes in MOV and H.264
// in MP4, the MXF should carry its encoded date (not 0-00-00), the ProRes MOV a `fiel` atom
// saying it is progressive, and build.json the H.264 profile the encoder was opened with.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "demo/demo_project.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kPipeline = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: avid, type: encode, needs: [conform], params: {codec: dnxhr, profile: lb, container: mxf}}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
  - {name: review, type: encode, needs: [conform], params: {codec: h264}}
)";

bool have_mediainfo() {
    return testing::shell_output("command -v mediainfo").find("mediainfo") != std::string::npos;
}

TEST(DeliveryMetadata, MxfEncodedDateProresFieldAtomAndH264Profile) {
    testing::TempDir dir;
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 1;
    options.panels_per_shot = 2;
    options.min_hold_frames = 4;
    options.max_hold_frames = 6;
    options.width = 320;
    options.height = 180;
    options.frame_rate = "25";
    options.varied_formats = false;
    options.with_audio = false;
    const auto project = demo::write_demo_project(dir.path() / "project", options);
    std::ofstream(dir.path() / "pipeline.yaml") << kPipeline;
    const fs::path out = dir.path() / "out";
    const auto build =
        testing::run_storyreel({"build", "--project", project.project_file.string(), "--pipeline",
                                (dir.path() / "pipeline.yaml").string(), "--out", out.string()});
    ASSERT_EQ(build.exit_code, 0) << testing::describe(build);

    const fs::path mxf = out / "sq010_avid.mxf";
    const std::string created = testing::shell_output(
        "ffprobe -v error -show_entries format_tags=modification_date -of "
        "default=nw=1:nk=1 '" +
        mxf.string() + "'");
    EXPECT_EQ(created.substr(0, 2), "20")
        << "the MXF's date (Identification, read as modification_date): " << created;
    if (have_mediainfo()) {
        const std::string info = testing::shell_output("mediainfo '" + mxf.string() + "'");
        EXPECT_NE(info.find("Encoded date"), std::string::npos) << info;
        EXPECT_EQ(info.find("0-00-00"), std::string::npos) << info;
    }

    const fs::path mov = out / "sq010_prores.mov";
    EXPECT_NE(testing::shell_output(
                  "ffprobe -v error -select_streams v:0 -show_entries stream=field_order -of "
                  "default=nw=1 '" +
                  mov.string() + "'")
                  .find("field_order=progressive"),
              std::string::npos);
    if (have_mediainfo()) {
        const std::string info = testing::shell_output("mediainfo '" + mov.string() + "'");
        EXPECT_NE(info.find("Scan type                                : Progressive"),
                  std::string::npos)
            << info;
    }
    // The `fiel` atom itself, inside the ProRes sample description: 'fiel', 1 field, 0.
    const std::string bytes = testing::read_file(mov);
    EXPECT_NE(bytes.find(std::string("fiel\x01\x00", 6)), std::string::npos);

    const json report = json::parse(testing::read_file(out / "build.json"));
    for (const auto& output : report["outputs"])
        if (output["stage"] == "review") EXPECT_EQ(output["profile"], "high") << output.dump();
}

}  // namespace
}  // namespace storyreel
