// Review movies that scrub: a long hold in an H.264 movie carries its drawing's IDR picture
// again every `keyframe_seconds`, marked as a sync sample, so a player seeking into the hold
// decodes at most that much of it. Checked with ffprobe's packet flags (the MP4 stss as
// libavformat reads it) and by decoding: the pictures are those of a movie with one IDR
// per drawing, and `ffmpeg -v error` says nothing.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "demo/demo_project.h"
#include "stages/segment_writer.h"
#include "tests/support/cli_runner.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::describe;
using testing::run_program;
using testing::run_storyreel;

std::string h264_pipeline(const std::string& extra) {
    return "pipeline: 1\nstages:\n"
           "  - {name: ingest, type: ingest}\n"
           "  - {name: conform, type: conform, needs: [ingest]}\n"
           "  - {name: review, type: encode, needs: [conform], params: {codec: h264, crf: 23" +
           extra + "}}\n";
}

/// A one-sequence, one-shot demo project of `panels` plain PNG boards held `hold` frames.
demo::DemoProject small_project(const fs::path& dir, int panels, int hold, int width, int height) {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 1;
    options.panels_per_shot = panels;
    options.min_hold_frames = options.max_hold_frames = hold;
    options.width = width;
    options.height = height;
    options.varied_formats = false;
    options.with_audio = false;
    return demo::write_demo_project(dir / "project", options);
}

/// Builds the project with the pipeline; returns the review movie.
fs::path build(const fs::path& dir, const demo::DemoProject& project, const std::string& name,
               const std::string& pipeline) {
    const fs::path pipeline_file = dir / (name + ".yaml");
    std::ofstream(pipeline_file) << pipeline;
    const auto result =
        run_storyreel({"build", "--project", project.project_file.string(), "--pipeline",
                       pipeline_file.string(), "--out", (dir / name).string()});
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    return dir / name / "sq010_review.mp4";
}

/// Presentation times (in frames at 24 fps) of the packets ffprobe reports as keyframes,
/// and the number of packets.
std::pair<std::vector<long long>, long long> keyframes(const fs::path& movie) {
    const auto probe =
        run_program({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                     "packet=pts_time,flags", "-of", "csv=p=0", movie.string()});
    EXPECT_EQ(probe.exit_code, 0) << describe(probe);
    std::vector<long long> keys;
    long long packets = 0;
    std::istringstream lines(probe.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        ++packets;
        const auto comma = line.find(',');
        if (line.find('K', comma) != std::string::npos)
            keys.push_back(std::llround(std::stod(line.substr(0, comma)) * 24));
    }
    return {keys, packets};
}

TEST(ReviewSeek, KeyframeIntervalFramesFollowsTheRate) {
    EXPECT_EQ(keyframe_interval_frames(2.0, {1, 24}), 48);
    EXPECT_EQ(keyframe_interval_frames(2.0, {1001, 24000}), 48);
    EXPECT_EQ(keyframe_interval_frames(2.0, {1001, 60000}), 120);
    EXPECT_EQ(keyframe_interval_frames(0.0, {1, 24}), 0);
    EXPECT_EQ(keyframe_interval_frames(0.01, {1, 24}), 1);
}

// Given two 100-frame holds at 24 fps and keyframe_seconds 1, every hold should have a sync
// sample at least every 24 frames, and the movie should decode to the same pictures as one
// with a single IDR per drawing.
TEST(ReviewSeek, LongHoldsGetASyncSampleEveryIntervalAndDecodeUnchanged) {
    testing::TempDir dir;
    const auto project = small_project(dir.path(), 2, 100, 320, 180);
    const fs::path seekable =
        build(dir.path(), project, "seekable", h264_pipeline(", keyframe_seconds: 1"));
    const fs::path single =
        build(dir.path(), project, "single", h264_pipeline(", keyframe_seconds: 0"));

    const auto [keys, packets] = keyframes(seekable);
    EXPECT_EQ(packets, 200);
    EXPECT_EQ(keys, (std::vector<long long>{0, 24, 48, 72, 96, 100, 124, 148, 172, 196}));
    const auto [single_keys, single_packets] = keyframes(single);
    EXPECT_EQ(single_packets, 200);
    EXPECT_EQ(single_keys, (std::vector<long long>{0, 100}));

    EXPECT_EQ(testing::decoded_frame_hashes(seekable), testing::decoded_frame_hashes(single));
    const auto decoded =
        run_program({"ffmpeg", "-v", "error", "-i", seekable.string(), "-f", "null", "-"});
    EXPECT_EQ(decoded.exit_code, 0) << describe(decoded);
    EXPECT_EQ(decoded.err, "");
    // Seeking to the last frame decodes from the nearest sync sample: the picture is right.
    const auto last = run_program({"ffmpeg", "-v", "error", "-ss", "8.2", "-i", seekable.string(),
                                   "-frames:v", "1", "-f", "framemd5", "-"});
    const auto last_single =
        run_program({"ffmpeg", "-v", "error", "-ss", "8.2", "-i", single.string(), "-frames:v", "1",
                     "-f", "framemd5", "-"});
    EXPECT_EQ(last.exit_code, 0) << describe(last);
    EXPECT_EQ(last.out.substr(last.out.rfind(',') + 1),
              last_single.out.substr(last_single.out.rfind(',') + 1));
}

TEST(ReviewSeek, KeyframeSecondsIsValidated) {
    testing::TempDir dir;
    const auto project = small_project(dir.path(), 1, 12, 64, 64);
    for (const std::string bad : {", keyframe_seconds: -1", ", keyframe_seconds: 600"}) {
        const fs::path pipeline_file = dir.path() / "bad.yaml";
        std::ofstream(pipeline_file, std::ios::trunc) << h264_pipeline(bad);
        const auto result = run_storyreel({"validate", "--project", project.project_file.string(),
                                           "--pipeline", pipeline_file.string()});
        EXPECT_EQ(result.exit_code, 2) << describe(result);
        EXPECT_NE(result.err.find("bad.yaml:5:"), std::string::npos) << result.err;
        EXPECT_NE(result.err.find("keyframe_seconds"), std::string::npos) << result.err;
    }
}

}  // namespace
}  // namespace storyreel
