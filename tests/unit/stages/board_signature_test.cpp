// `storyreel check` reads a plain 8-bit RGB board as its 8-bit codes (no widening): the
// signature must be the one a build takes from the same board ingested as 16-bit (v * 257),
// or a board checked first and built later would look redrawn to duplicate_board.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include "stages/board_thumbnail.h"
#include "stages/ingest_stage.h"
#include "tests/support/check_projects.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

BoardSignature signature_as_ingested(const fs::path& board) {
    OIIO::ImageBuf wide(board.string());
    EXPECT_TRUE(wide.read(0, 0, true, OIIO::TypeDesc::UINT16)) << wide.geterror();
    return board_signature_of_image(wide);
}

TEST(BoardSignature, AnEightBitBoardReadAsItIsSignsLikeItsSixteenBitIngest) {
    testing::TempDir dir;
    for (unsigned seed : {1u, 2u, 3u, 4u}) {
        const fs::path board = dir.path() / ("b" + std::to_string(seed) + ".png");
        testing::write_drawn_board(board, 1920, 1080, seed, seed == 4 ? 0 : 12);
        const auto plain = read_plain_8bit_board(board, InputLimits{});
        ASSERT_TRUE(plain.has_value());
        EXPECT_EQ(plain->spec().format, OIIO::TypeDesc::UINT8);
        const BoardSignature fast = board_signature_of_image(*plain);
        const BoardSignature ingested = signature_as_ingested(board);
        EXPECT_EQ(fast.dhash, ingested.dhash) << seed;
        EXPECT_NEAR(fast.ink_fraction, ingested.ink_fraction, 1e-6) << seed;
        EXPECT_EQ(fast.width, 1920);
        EXPECT_EQ(fast.height, 1080);
    }
}

TEST(BoardSignature, OnlyPlainEightBitRgbWithinTheLimitsTakesTheShortcut) {
    testing::TempDir dir;
    const fs::path plain = dir.path() / "plain.png";
    testing::write_drawn_board(plain, 320, 180, 7);
    InputLimits small;
    small.max_board_side = 100;
    EXPECT_FALSE(read_plain_8bit_board(plain, small).has_value()) << "the stage refuses it";
    EXPECT_FALSE(read_plain_8bit_board(dir.path() / "missing.png", {}).has_value());

    OIIO::ImageBuf rgb(plain.string());
    ASSERT_TRUE(rgb.read(0, 0, true, OIIO::TypeDesc::UINT8));
    OIIO::ImageBuf with_alpha =
        OIIO::ImageBufAlgo::channels(rgb, 4, {0, 1, 2, -1}, {0, 0, 0, 1.f}, {"R", "G", "B", "A"});
    ASSERT_TRUE(with_alpha.write((dir.path() / "alpha.png").string()));
    EXPECT_FALSE(read_plain_8bit_board(dir.path() / "alpha.png", {}).has_value());
    ASSERT_TRUE(rgb.write((dir.path() / "deep.png").string(), OIIO::TypeDesc::UINT16));
    EXPECT_FALSE(read_plain_8bit_board(dir.path() / "deep.png", {}).has_value());
}

}  // namespace
}  // namespace storyreel
