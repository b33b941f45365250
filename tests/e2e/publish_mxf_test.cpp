// Avid deliverable: DNxHR in MXF OP1a with timecode, reel (tape source package) and PCM
// audio at 48 kHz, checked with ffprobe and by decoding; and published like any movie.

#include <map>

#include "tests/support/movie_probe.h"
#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::describe;

constexpr const char* kMxfPipeline = R"(pipeline: 1
name: avid
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: temp_audio, type: audio}
  - {name: avid, type: encode, needs: [conform, temp_audio], params: {codec: dnxhr, profile: lb, container: mxf, reel: EDREEL01}}
)";

/// `ffprobe -show_format -show_streams` as key=value pairs; stream keys are prefixed with
/// "stream<index>.", format keys with "format.".
std::map<std::string, std::string> ffprobe(const fs::path& file) {
    std::map<std::string, std::string> values;
    FILE* pipe =
        popen(("ffprobe -v error -show_format -show_streams '" + file.string() + "'").c_str(), "r");
    if (!pipe) return values;
    char buffer[1024];
    std::string prefix;
    int stream = -1;
    while (std::fgets(buffer, sizeof buffer, pipe)) {
        std::string line(buffer);
        if (!line.empty() && line.back() == '\n') line.pop_back();
        if (line == "[STREAM]")
            prefix = "stream" + std::to_string(++stream) + ".";
        else if (line == "[FORMAT]")
            prefix = "format.";
        const auto equals = line.find('=');
        if (equals != std::string::npos)
            values[prefix + line.substr(0, equals)] = line.substr(equals + 1);
    }
    pclose(pipe);
    return values;
}

demo::DemoOptions tiny_with_audio() {
    demo::DemoOptions options = tiny_two_sequences();
    options.sequences = 1;
    options.with_audio = true;
    options.frame_rate = "25";
    return options;
}

TEST(PublishMxf, DnxhrInMxfOp1aWithTimecodeReelAndPcmAudio) {
    PublishWorkspace ws(kMxfPipeline, tiny_with_audio());
    const auto result = ws.publish();
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    const fs::path movie = ws.sequence_folder("sq010") / "v001" / "sq010_avid.mxf";
    ASSERT_TRUE(fs::is_regular_file(movie));
    auto probe = ffprobe(movie);
    EXPECT_EQ(probe["format.format_name"], "mxf");
    // SMPTE 378M: OP1a is 06.0e.2b.34.04.01.01.01.0d.01.02.01.01.01.xx.00
    EXPECT_EQ(probe["format.TAG:operational_pattern_ul"].substr(0, 31),
              "060e2b34.04010101.0d010201.0101");
    EXPECT_EQ(probe["format.TAG:timecode"], "01:00:00:00");
    EXPECT_EQ(probe["format.TAG:material_package_name"], "Demo Show sq010");
    EXPECT_EQ(probe["stream0.codec_name"], "dnxhd");
    EXPECT_EQ(probe["stream0.profile"], "DNXHR LB");
    EXPECT_EQ(probe["stream0.width"], "320");
    EXPECT_EQ(probe["stream0.r_frame_rate"], "25/1");
    EXPECT_EQ(probe["stream0.TAG:reel_name"], "EDREEL01");
    EXPECT_EQ(probe["stream1.codec_name"], "pcm_s24le");
    EXPECT_EQ(probe["stream1.sample_rate"], "48000");
    EXPECT_EQ(probe["stream1.channels"], "2");

    // Every frame decodes; the audio lasts as long as the picture.
    long long frames = 0;
    for (const auto& panel : ws.project.panels) frames += panel.frames;
    EXPECT_EQ(testing::decode_video(movie, [](std::int64_t) { return false; }, {}), frames);
    const auto audio = testing::decode_audio_mono(movie);
    EXPECT_NEAR(static_cast<double>(audio.size()), frames * 48000.0 / 25.0, 48000.0 / 25.0);

    const json manifest = read_json(ws.sequence_folder("sq010") / "v001" / "manifest.json");
    bool listed = false;
    for (const auto& output : manifest.at("outputs"))
        if (output.at("file") == "sq010_avid.mxf") {
            listed = true;
            EXPECT_EQ(output.at("kind"), "movie");
            EXPECT_EQ(output.at("container"), "mxf");
            EXPECT_EQ(output.at("reel"), "EDREEL01");
        }
    EXPECT_TRUE(listed);
}

TEST(PublishMxf, DropFrameTimecodeAt2997) {
    demo::DemoOptions options = tiny_two_sequences();
    options.sequences = 1;
    options.frame_rate = "29.97";
    PublishWorkspace ws(kMxfPipeline, options);
    std::string text = read_text(ws.project.project_file);
    const std::string non_drop = "start_timecode: \"01:00:00:00\"";
    const auto at = text.find(non_drop);
    ASSERT_NE(at, std::string::npos) << text;
    text.replace(at, non_drop.size(), "start_timecode: \"01:00:00;00\"");
    std::ofstream(ws.project.project_file, std::ios::trunc) << text;
    const auto result = ws.publish();
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    auto probe = ffprobe(ws.sequence_folder("sq010") / "v001" / "sq010_avid.mxf");
    EXPECT_EQ(probe["format.format_name"], "mxf");
    EXPECT_EQ(probe["format.TAG:timecode"], "01:00:00;00");
    EXPECT_EQ(probe["stream0.r_frame_rate"], "30000/1001");
}

TEST(PublishMxf, MxfIsRefusedForCodecsAvidDoesNotTakeThere) {
    PublishWorkspace ws(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: avid, type: encode, needs: [conform], params: {codec: prores, container: mxf}}
)");
    const auto result =
        testing::run_storyreel({"validate", "--project", ws.project.project_file.string(),
                                "--pipeline", ws.pipeline_file.string()});
    EXPECT_EQ(result.exit_code, 2) << describe(result);
    EXPECT_NE(result.err.find("MXF (OP1a, for Avid) is written with DNxHR only"), std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("pipeline.yaml:5:"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace storyreel
