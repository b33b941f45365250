// ProRes frames change size with their pictures, so a redraw patches the previous movie by
// appending (stages/movie_patch.h): the changed shots' drawings in a new mdat, a new moov,
// the old moov retired to free space. The patched movie plays frame for frame (and packet
// for packet) like a fresh build of the same cut, passes ffmpeg, ffprobe and mediainfo, and
// its recorded checksum is its bytes'; past the dead-space share it is rewritten whole.

#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/block_checksum.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/patch_workspace.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::build_logged;
using testing::inode_of;
using testing::LoggedBuild;
using testing::patch_pipeline;
using testing::PatchWorkspace;
using testing::shell_output;

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

/// The video packets (timestamps, sizes, MD5s) as ffmpeg reads them.
std::string video_packets(const fs::path& movie) {
    return shell_output("ffmpeg -v error -i " + quoted(movie) +
                        " -map 0:v -c copy -f framemd5 - 2>&1");
}

/// `movie` (the build's record of it) plays like `fresh`, and outside tools accept it.
void expect_plays_like(const OutputRecord& movie, const fs::path& fresh) {
    EXPECT_EQ(file_checksum_like(movie.path, movie.checksum), movie.checksum) << movie.path;
    EXPECT_EQ(movie.size_bytes, fs::file_size(movie.path));
    EXPECT_EQ(video_packets(movie.path), video_packets(fresh));
    EXPECT_EQ(testing::decoded_frame_hashes(movie.path), testing::decoded_frame_hashes(fresh));
    EXPECT_EQ(testing::decode_audio_mono(movie.path), testing::decode_audio_mono(fresh));
    EXPECT_EQ(shell_output("ffmpeg -v error -i " + quoted(movie.path) + " -f null - 2>&1"), "");
    const std::string frames = std::to_string(movie.frame_count);
    EXPECT_EQ(shell_output("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                           "stream=nb_read_frames -of csv=p=0 " +
                           quoted(movie.path) + " 2>&1"),
              frames + "\n");
    EXPECT_EQ(
        shell_output("mediainfo --Inform='Video;%FrameCount% %Format%' " + quoted(movie.path)),
        frames + " ProRes\n");
}

/// A build after a redraw: patched by appending (same file) and playing like a fresh build.
void expect_patched_by_appending(const PatchWorkspace& ws, const fs::path& movie,
                                 const std::string& fresh_name, const std::string& shots_changed) {
    const ino_t before = inode_of(movie);
    const auto size_before = fs::file_size(movie);
    const LoggedBuild logged = build_logged(ws);
    EXPECT_NE(logged.log.find("patched by appending: " + shots_changed + " of 4 shot(s) changed"),
              std::string::npos)
        << logged.log;
    EXPECT_EQ(inode_of(movie), before) << "the movie was assembled again instead of patched";
    const OutputRecord& record = logged.result.outputs.at(0);
    EXPECT_NE(record.properties.at("assembly").find("patched by appending"), std::string::npos);
    // Each changed drawing is written once (its held frames point at it), plus a header.
    EXPECT_LT(fs::file_size(movie) - size_before, size_before / 4);
    expect_plays_like(record, ws.build(fresh_name, fresh_name + "-cache").outputs.at(0).path);
}

const std::string kProresRarelyCompacted =
    patch_pipeline("codec: prores, profile: proxy, compact_above: 90");

TEST(MovieAppendPatch, RedrawsInTheFirstAndLastShotsAndSeveralAtOncePlayLikeFreshBuilds) {
    PatchWorkspace ws(kProresRarelyCompacted);
    const OutputRecord first = ws.build().outputs.at(0);
    EXPECT_EQ(first.properties.at("assembly"), "assembled in full");
    ws.redraw(0, {0.9f, 0.2f, 0.1f});  // the first shot
    expect_patched_by_appending(ws, first.path, "fresh1", "1");
    ws.redraw(11, {0.1f, 0.2f, 0.9f});  // the last shot
    expect_patched_by_appending(ws, first.path, "fresh2", "1");
    ws.redraw(4, {0.3f, 0.8f, 0.3f});  // two shots at once
    ws.redraw(7, {0.8f, 0.8f, 0.3f});
    expect_patched_by_appending(ws, first.path, "fresh3", "2");
    // The redrawn panel shows its new drawing.
    const auto& redrawn = ws.project.panels[11];
    std::array<double, 3> centre{};
    testing::decode_video(
        first.path, [&](std::int64_t i) { return i == redrawn.start_frame + 1; },
        [&](std::int64_t, const testing::RgbPicture& picture) {
            centre = picture.mean_around(picture.width / 2, picture.height / 2, 4);
        });
    EXPECT_NEAR(centre[2], 0.9 * 255, 8);
    // Nothing changed: kept as is.
    EXPECT_EQ(ws.build().outputs.at(0).properties.at("assembly"),
              "kept: no shot, audio or setting changed");
}

TEST(MovieAppendPatch, DeadSpaceOverTheShareIsCompactedSaidSoInExplainAndPatchedAgainAfter) {
    PatchWorkspace ws(patch_pipeline("codec: prores, profile: proxy, compact_above: 5"));
    const fs::path movie = ws.build().outputs.at(0).path;
    const ino_t before = inode_of(movie);
    ws.redraw(4, {0.9f, 0.2f, 0.1f});  // a quarter of the frames of a 4-shot movie: over 5 %
    auto args = ws.build_args();
    args.push_back("--explain");
    const auto compacted = testing::run_storyreel(args);
    ASSERT_EQ(compacted.exit_code, 0) << testing::describe(compacted);
    EXPECT_NE(
        compacted.out.find("explain: enc " + movie.filename().string() +
                           ": assembled in full, not patched: compacted: a patch would leave"),
        std::string::npos)
        << compacted.out;
    EXPECT_NE(compacted.out.find("over compact_above (5 %)"), std::string::npos) << compacted.out;
    EXPECT_NE(inode_of(movie), before) << "the movie was patched, not compacted";
    EXPECT_TRUE(testing::read_file(movie) == ws.fresh_movie_bytes("fresh1"))
        << "a compacted movie is a fresh one";

    // A redraw after the compaction patches it again (with a share it stays under).
    std::ofstream(ws.pipeline_file, std::ios::trunc) << kProresRarelyCompacted;
    ws.redraw(5, {0.2f, 0.2f, 0.9f});
    expect_patched_by_appending(ws, movie, "fresh2", "1");
}

TEST(MovieAppendPatch, CompactAboveIsAPercentage) {
    PatchWorkspace ws(patch_pipeline("codec: prores, profile: proxy, compact_above: 0"));
    const auto refused = testing::run_storyreel(ws.build_args());
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("compact_above"), std::string::npos) << testing::describe(refused);
    EXPECT_FALSE(fs::exists(ws.dir.path() / "out" / "sq010_enc.mov"));
}

}  // namespace
}  // namespace storyreel
