// Review movies that scrub: a long hold in an H.264 movie carries its drawing's IDR picture
// again every `keyframe_seconds`, marked as a sync sample, so a player seeking into the hold
// decodes at most that much of it. Checked with ffprobe's packet flags (the MP4 stss as
// libavformat reads it) and by decoding: the pictures are those of a movie with one IDR
// per drawing, and `ffmpeg -v error` says nothing.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "demo/demo_project.h"
#include "stages/segment_writer.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
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

/// A one-sequence demo project of `shots` shots of `panels` plain PNG boards held `hold`
/// frames.
demo::DemoProject small_project(const fs::path& dir, int panels, int hold, int width, int height,
                                const std::string& rate = "24", int shots = 1) {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = shots;
    options.frame_rate = rate;
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

/// Per access unit (packet) of the movie, as FFmpeg's trace_headers reads its slice headers:
/// the idr_pic_id of its IDR slices (all of them), or -1 for a non-IDR picture.
std::vector<int> traced_idr_pic_ids(const fs::path& movie) {
    const auto trace = run_program({"ffmpeg", "-hide_banner", "-i", movie.string(), "-c", "copy",
                                    "-bsf:v", "trace_headers", "-f", "null", "-"});
    EXPECT_EQ(trace.exit_code, 0) << describe(trace);
    std::vector<int> ids;
    std::istringstream lines(trace.err);
    const std::regex field(R"(\] \d+ +(nal_unit_type|idr_pic_id) +[01]+ = (\d+)$)");
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (line.find("] Packet: ") != std::string::npos) {
            ids.push_back(-1);
        } else if (!ids.empty() && std::regex_search(line, match, field) &&
                   match[1] == "idr_pic_id") {
            const int id = std::stoi(match[2]);
            EXPECT_TRUE(ids.back() == -1 || ids.back() == id)
                << "the slices of one picture share its id";
            ids.back() = id;
        }
    }
    return ids;
}

/// Where two consecutive access units are both IDR pictures with the same idr_pic_id.
std::vector<std::size_t> repeated_idr_pic_ids(const std::vector<int>& ids) {
    std::vector<std::size_t> at;
    for (std::size_t i = 1; i < ids.size(); ++i)
        if (ids[i] >= 0 && ids[i] == ids[i - 1]) at.push_back(i);
    return at;
}

// Given 8 and 12 fps and keyframe_seconds 0.1 (a seek keyframe on every frame of a hold:
// IDR after IDR), or panels held one frame each (every frame a drawing's IDR, across the
// join of two shots' segments, and shots one frame long), no two consecutive IDR pictures
// share an idr_pic_id (H.264
// 7.4.3), read by FFmpeg's trace_headers; the movies decode without a word from ffmpeg, to
// the pictures of the movie with one IDR per drawing.
TEST(ReviewSeek, ConsecutiveIdrPicturesHaveDifferentIdsAtLowRates) {
    for (const std::string rate : {"8/1", "12/1"}) {  // below 15 fps: 0.1 s is one frame
        testing::TempDir dir;
        const auto held = small_project(dir.path() / "held", 3, 5, 64, 64, rate, 2);
        const fs::path every =
            build(dir.path(), held, "every", h264_pipeline(", keyframe_seconds: 0.1"));
        const fs::path once =
            build(dir.path(), held, "once", h264_pipeline(", keyframe_seconds: 0"));
        const auto single = small_project(dir.path() / "single", 3, 1, 64, 64, rate, 2);
        const fs::path ones = build(dir.path(), single, "ones", h264_pipeline(""));
        const auto shots = small_project(dir.path() / "shots", 1, 1, 64, 64, rate, 3);
        const fs::path one_frame_shots = build(dir.path(), shots, "shots", h264_pipeline(""));
        for (const auto& movie : {every, ones, one_frame_shots}) {
            const auto ids = traced_idr_pic_ids(movie);
            EXPECT_EQ(ids.size(), movie == every ? 30u : movie == ones ? 6u : 3u) << rate << " fps";
            EXPECT_EQ(std::count(ids.begin(), ids.end(), -1), 0)
                << rate << " fps: every frame is an IDR picture";
            EXPECT_EQ(repeated_idr_pic_ids(ids), std::vector<std::size_t>{})
                << rate << " fps, " << movie.parent_path().filename();
            const auto decoded =
                run_program({"ffmpeg", "-v", "error", "-i", movie.string(), "-f", "null", "-"});
            EXPECT_EQ(decoded.exit_code, 0) << describe(decoded);
            EXPECT_EQ(decoded.err, "");
        }
        EXPECT_EQ(testing::decoded_frame_hashes(every), testing::decoded_frame_hashes(once));
    }
}

// Given a 60-frame camera move (each frame differs: libx264 P-frames) and keyframe_seconds
// 1 at 24 fps, the move carries an IDR every 24 frames too, and decodes cleanly.
TEST(ReviewSeek, ACameraMoveGetsASyncSampleEveryInterval) {
    testing::TempDir dir;
    const auto project = small_project(dir.path(), 1, 60, 160, 96);
    const std::string board = "board: boards/sq010_sh010_p001.png\n";
    ASSERT_TRUE(testing::replace_in_file(
        project.project_file, board,
        board + "            camera: {keys: [{frame: 0, zoom: 1.0}, {frame: 59, zoom: 2.0}]}\n"));
    const fs::path movie =
        build(dir.path(), project, "move", h264_pipeline(", keyframe_seconds: 1"));
    const auto [keys, packets] = keyframes(movie);
    EXPECT_EQ(packets, 60);
    EXPECT_EQ(keys, (std::vector<long long>{0, 24, 48}));
    EXPECT_EQ(repeated_idr_pic_ids(traced_idr_pic_ids(movie)), std::vector<std::size_t>{});
    const auto decoded =
        run_program({"ffmpeg", "-v", "error", "-i", movie.string(), "-f", "null", "-"});
    EXPECT_EQ(decoded.exit_code, 0) << describe(decoded);
    EXPECT_EQ(decoded.err, "");
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
