// The movie file output (media/movie_file_output.h): bytes written in aligned blocks,
// hashed on the way, the first block held back for the muxer's header rewrite, any other
// rewrite applied on disk and its block hashed again. Whatever the muxer does, the file
// must hold exactly what it wrote and the checksum must be the file's.

#include "media/movie_file_output.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "pipeline/block_checksum.h"
#include "pipeline/content_hash.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

using testing::read_file;

/// `size` bytes of a pattern that differs from block to block (no two 8 MiB blocks alike).
std::string pattern(std::size_t size, unsigned seed) {
    std::string bytes(size, '\0');
    std::uint32_t state = seed * 2654435761u + 1;
    for (auto& byte : bytes) {
        state = state * 1664525u + 1013904223u;
        byte = static_cast<char>(state >> 24);
    }
    return bytes;
}

void put(AVIOContext* output, const std::string& bytes) {
    avio_write(output, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<int>(bytes.size()));
}

/// What a MOV muxer does: a header with a size placeholder, the media (here 20 MiB in
/// packets of mixed sizes, so it crosses block boundaries unaligned), the index at the end,
/// then back to the header to fill in the size. `size_value` is what goes back in.
void mux_like_mov(AVIOContext* output, const std::string& media, std::uint32_t size_value) {
    put(output, "ftypqt  ");
    avio_wb32(output, 0);  // placeholder, rewritten below
    put(output, "mdat");
    for (std::size_t at = 0; at < media.size();) {
        const std::size_t packet = std::min<std::size_t>(media.size() - at, 100'003 + at % 7919);
        put(output, media.substr(at, packet));
        at += packet;
    }
    put(output, "moov-index");
    const std::int64_t end = avio_tell(output);
    avio_seek(output, 8, SEEK_SET);
    avio_wb32(output, size_value);
    avio_seek(output, end, SEEK_SET);
    avio_flush(output);
}

std::string expected_mov(const std::string& media, std::uint32_t size_value) {
    std::string bytes = "ftypqt  ";
    bytes += std::string{static_cast<char>(size_value >> 24), static_cast<char>(size_value >> 16),
                         static_cast<char>(size_value >> 8), static_cast<char>(size_value)};
    return bytes + "mdat" + media + "moov-index";
}

/// The file holds exactly `expected`, and its checksum is the file's, however it was got.
void expect_file(const fs::path& file, const WrittenMovie& written, const std::string& expected,
                 bool hashed_while_writing) {
    EXPECT_EQ(fs::file_size(file), expected.size());
    EXPECT_TRUE(read_file(file) == expected) << file;
    EXPECT_EQ(written.hashed_while_writing, hashed_while_writing);
    EXPECT_EQ(written.blocks, hash_file_blocks(file));
    EXPECT_EQ(written.checksum, block_list_checksum(hash_file_blocks(file)));
}

TEST(MovieFileOutput, HeaderRewriteGoesIntoTheHeldFirstBlockAndTheFileIsHashedWhileWritten) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "movie.mov";
    const std::string media = pattern(20u << 20, 1);
    const auto written = write_movie_file(file, [&](AVIOContext* output) {
        mux_like_mov(output, media, static_cast<std::uint32_t>(media.size() + 8));
    });
    expect_file(file, written, expected_mov(media, static_cast<std::uint32_t>(media.size() + 8)),
                true);
}

TEST(MovieFileOutput, RewriteOfABlockAlreadyOnDiskIsAppliedAndThatBlockHashedAgain) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "movie.mov";
    const std::string media = pattern(30u << 20, 3);
    const auto written = write_movie_file(file, [&](AVIOContext* output) {
        mux_like_mov(output, media, 42u);
        for (const std::int64_t at : {std::int64_t{9} << 20, (std::int64_t{17} << 20) - 2}) {
            avio_seek(output, at, SEEK_SET);  // blocks 1 and 2 (across their boundary)
            put(output, "PATCH");
        }
        avio_seek(output, 0, SEEK_END);
        avio_flush(output);
    });
    std::string expected = expected_mov(media, 42u);
    expected.replace(9u << 20, 5, "PATCH");
    expected.replace((17u << 20) - 2, 5, "PATCH");
    expect_file(file, written, expected, false);
}

TEST(MovieFileOutput, SegmentsPushedOneByOneGiveTheSameFileAsOneMux) {
    testing::TempDir dir;
    const std::string media = pattern(19u << 20, 6);
    const auto whole = write_movie_file(
        dir.path() / "whole.mov", [&](AVIOContext* output) { mux_like_mov(output, media, 9u); });
    MovieFileOutput pushed(dir.path() / "pushed.mov");
    put(pushed.avio(), "ftypqt  ");
    avio_wb32(pushed.avio(), 0);
    put(pushed.avio(), "mdat");
    for (std::size_t at = 0; at < media.size(); at += 1u << 20)
        put(pushed.avio(), media.substr(at, 1u << 20));
    put(pushed.avio(), "moov-index");
    avio_seek(pushed.avio(), 8, SEEK_SET);
    avio_wb32(pushed.avio(), 9u);
    avio_seek(pushed.avio(), 0, SEEK_END);
    avio_flush(pushed.avio());
    const WrittenMovie written = pushed.finish();
    expect_file(dir.path() / "pushed.mov", written, expected_mov(media, 9u), true);
    EXPECT_EQ(written.checksum, whole.checksum);
}

TEST(MovieFileOutput, SmallFileAndExactBlockMultipleKeepTheirSize) {
    testing::TempDir dir;
    for (const std::size_t size : {std::size_t{1}, std::size_t{4095}, std::size_t{8u << 20}}) {
        SCOPED_TRACE(size);
        const fs::path file = dir.path() / ("movie-" + std::to_string(size) + ".mov");
        const std::string bytes = pattern(size, 4);
        const auto written = write_movie_file(file, [&](AVIOContext* output) {
            put(output, bytes);
            avio_flush(output);
        });
        expect_file(file, written, bytes, true);
    }
}

TEST(MovieFileOutput, WithoutDirectIoTheSameBytesGoThroughThePageCache) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "movie.mov";
    const std::string media = pattern(9u << 20, 5);
    const auto written = write_movie_file(
        file, [&](AVIOContext* output) { mux_like_mov(output, media, 7u); }, false);
    EXPECT_FALSE(written.direct_io);
    expect_file(file, written, expected_mov(media, 7u), true);
}

TEST(MovieFileOutput, UnwritableFolderIsReportedWithTheFileName) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "missing-folder" / "movie.mov";
    try {
        write_movie_file(file, [&](AVIOContext* output) { put(output, "x"); });
        FAIL() << "expected an error";
    } catch (const std::exception& error) {
        EXPECT_NE(std::string(error.what()).find("movie.mov"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace storyreel
