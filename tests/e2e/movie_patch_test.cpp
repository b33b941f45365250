// A redraw patches the previous DNxHR movie in place (stages/movie_patch.h): the result is
// byte for byte what a full assembly writes, and a movie that cannot be patched safely
// (a retimed shot, bytes changed behind the log's back, a hard link, a build that fails) is
// assembled in full or left as it was. ProRes movies, whose frames change size, are patched
// by appending: movie_append_patch_test.cpp.

#include <gtest/gtest.h>

#include <fstream>
#include <tuple>

#include "pipeline/block_checksum.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/patch_workspace.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::build_logged;
using testing::inode_of;
using testing::kDnxhr;
using testing::LoggedBuild;
using testing::PatchWorkspace;
using testing::read_file;

/// The record's checksum is the file's, and the file is what a fresh build writes.
void expect_as_fresh(const PatchWorkspace& ws, const OutputRecord& movie,
                     const std::string& fresh_name) {
    EXPECT_EQ(file_checksum_like(movie.path, movie.checksum), movie.checksum) << movie.path;
    EXPECT_TRUE(read_file(movie.path) == ws.fresh_movie_bytes(fresh_name))
        << movie.path << " differs from a fresh build's movie";
}

/// The build after a change assembled the movie again (a new file), saying why it did not
/// patch it, and wrote what a fresh build writes.
void expect_assembled_in_full(const PatchWorkspace& ws, const fs::path& movie, ino_t before,
                              const std::string& reason) {
    const LoggedBuild logged = build_logged(ws);
    EXPECT_NE(logged.log.find("assembled in full, not patched: " + reason), std::string::npos)
        << logged.log;
    EXPECT_NE(inode_of(movie), before) << "the movie was patched";
    expect_as_fresh(ws, logged.result.outputs.at(0), "fresh");
}

TEST(MoviePatch, RedrawnShotIsWrittenIntoTheMovieInPlaceAndMatchesAFreshBuild) {
    PatchWorkspace ws(kDnxhr);
    const BuildResult first = ws.build();
    ASSERT_EQ(first.outputs.size(), 1u);
    const fs::path movie = first.outputs[0].path;
    EXPECT_EQ(first.outputs[0].checksum.rfind("xxh128-8m:", 0), 0u) << first.outputs[0].checksum;
    const ino_t before = inode_of(movie);

    const std::size_t panel = 4;  // the second panel of the second shot
    ws.redraw(panel, {0.9f, 0.2f, 0.1f});
    const LoggedBuild logged = build_logged(ws);
    const BuildResult& second = logged.result;
    ASSERT_EQ(second.outputs.size(), 1u);
    EXPECT_EQ(inode_of(movie), before) << "the movie was written again instead of patched";
    EXPECT_NE(logged.log.find("patched in place: 1 of 4 shot(s) changed"), std::string::npos)
        << logged.log;
    EXPECT_NE(second.outputs[0].checksum, first.outputs[0].checksum);
    EXPECT_EQ(second.outputs[0].size_bytes, fs::file_size(movie));
    expect_as_fresh(ws, second.outputs[0], "fresh");

    const auto& redrawn = ws.project.panels[panel];
    std::array<double, 3> centre{};
    testing::decode_video(
        movie, [&](std::int64_t i) { return i == redrawn.start_frame + 1; },
        [&](std::int64_t, const testing::RgbPicture& picture) {
            centre = picture.mean_around(picture.width / 2, picture.height / 2, 4);
        });
    EXPECT_NEAR(centre[0], 0.9 * 255, 8);
    EXPECT_NEAR(centre[1], 0.2 * 255, 8);
    EXPECT_NEAR(centre[2], 0.1 * 255, 8);
}

TEST(MoviePatch, OutputFoldersSharingACacheEachPatchTheirOwnMovie) {
    PatchWorkspace ws(kDnxhr);
    const fs::path first = ws.build("out").outputs.at(0).path;
    const fs::path second = ws.build("out2").outputs.at(0).path;
    const ino_t first_inode = inode_of(first), second_inode = inode_of(second);
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    for (const auto& [out, movie, inode] :
         {std::tuple{"out", first, first_inode}, std::tuple{"out2", second, second_inode}}) {
        const LoggedBuild logged = build_logged(ws, out);
        EXPECT_NE(logged.log.find("patched in place"), std::string::npos)
            << out << ": " << logged.log;
        EXPECT_EQ(inode_of(movie), inode) << out;
    }
    EXPECT_TRUE(read_file(first) == read_file(second));
}

TEST(MoviePatch, RetimedShotIsAssembledInFull) {
    PatchWorkspace ws(kDnxhr);
    const fs::path movie = ws.build().outputs.at(0).path;
    const ino_t before = inode_of(movie);
    std::string text = read_file(ws.project.project_file);
    const auto frames_at = text.find("frames: ", text.find(ws.project.panels[4].board_file));
    text.replace(frames_at, text.find('\n', frames_at) - frames_at, "frames: 50");
    std::ofstream(ws.project.project_file, std::ios::binary | std::ios::trunc) << text;
    expect_assembled_in_full(ws, movie, before, "shot lengths");
}

TEST(MoviePatch, MovieChangedBehindTheLogsBackIsNotPatched) {
    PatchWorkspace ws(kDnxhr);
    const fs::path movie = ws.build().outputs.at(0).path;
    const ino_t before = inode_of(movie);
    // Same size, same modification time, one byte different in the middle (a small movie
    // is a few blocks, so the redrawn shot's blocks include it).
    const auto mtime = fs::last_write_time(movie);
    {
        std::fstream file(movie, std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(static_cast<std::streamoff>(fs::file_size(movie) / 2));
        file.put('\x5a');
    }
    fs::last_write_time(movie, mtime);
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    expect_assembled_in_full(ws, movie, before, "its bytes differ from what the last build wrote");
}

TEST(MoviePatch, HardLinkedMovieKeepsItsBytesAndIsAssembledAgain) {
    PatchWorkspace ws(kDnxhr);
    const fs::path movie = ws.build().outputs.at(0).path;
    const ino_t before = inode_of(movie);
    const fs::path linked = ws.dir.path() / "editor-copy.mov";
    fs::create_hard_link(movie, linked);
    const std::string old_bytes = read_file(linked);
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    expect_assembled_in_full(ws, movie, before, "it has other hard links");
    EXPECT_TRUE(read_file(linked) == old_bytes) << "the hard-linked copy changed";
}

TEST(MoviePatch, FailedBuildLeavesThePreviousMovieUntouched) {
    PatchWorkspace ws(kDnxhr);
    const fs::path movie = ws.build().outputs.at(0).path;
    const std::string old_bytes = read_file(movie);
    const ino_t before = inode_of(movie);
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    std::ofstream(ws.board(10), std::ios::binary | std::ios::trunc)
        << "not a PNG";  // the last shot
    EXPECT_ANY_THROW(ws.build());
    EXPECT_EQ(inode_of(movie), before);
    EXPECT_TRUE(read_file(movie) == old_bytes) << "a failed build changed the movie";
    for (const auto& entry : fs::directory_iterator(movie.parent_path()))
        EXPECT_EQ(entry.path().filename().string().find(".patching"), std::string::npos)
            << entry.path();
}

}  // namespace
}  // namespace storyreel
