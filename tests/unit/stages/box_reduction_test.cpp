// The review page's box reduction (stages/box_reduction.h) against references computed
// another way: every output pixel the area-weighted mean of the frame, integrated in double
// precision over real-valued pixel footprints; exact means for whole-number factors; and
// the same image however the board is laid out in memory.

#include "stages/box_reduction.h"

#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>

namespace storyreel {
namespace {

/// A 16-bit RGB frame of line art on paper with noise: hard edges and every code in use.
OIIO::ImageBuf drawn_frame(int width, int height, unsigned seed) {
    OIIO::ImageBuf frame(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT16));
    std::mt19937 random(seed);
    std::uniform_int_distribution<int> noise(0, 65535);
    auto* pixels = static_cast<std::uint16_t*>(frame.localpixels());
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < 3; ++c) {
                const bool line = (x + 2 * y) % 37 < 3 || (x * x + y * y) % 1000 < 40;
                const int paper = 60000 - 3000 * c;
                pixels[(std::size_t(y) * width + x) * 3 + c] = static_cast<std::uint16_t>(
                    line ? noise(random) % 4000 : (x % 50 == 7 ? noise(random) : paper));
            }
    return frame;
}

/// The mean of the frame over output pixel (x, y)'s footprint, in 8-bit codes, by
/// integrating real-valued overlaps.
double reference(const OIIO::ImageBuf& frame, int width, int height, int x, int y, int c) {
    const int in_width = frame.spec().width, in_height = frame.spec().height;
    const double sx = double(in_width) / width, sy = double(in_height) / height;
    const double x0 = x * sx, x1 = (x + 1) * sx, y0 = y * sy, y1 = (y + 1) * sy;
    const auto* pixels = static_cast<const std::uint16_t*>(frame.localpixels());
    double sum = 0, area = 0;
    for (int j = int(std::floor(y0)); j < int(std::ceil(y1)) && j < in_height; ++j) {
        const double wy = std::min(y1, j + 1.0) - std::max(y0, double(j));
        for (int i = int(std::floor(x0)); i < int(std::ceil(x1)) && i < in_width; ++i) {
            const double wx = std::min(x1, i + 1.0) - std::max(x0, double(i));
            sum += wx * wy * pixels[(std::size_t(j) * in_width + i) * 3 + c];
            area += wx * wy;
        }
    }
    return sum / area / 257.0;
}

TEST(BoxReduction, EveryPixelIsTheMeanOfTheAreaItCovers) {
    const OIIO::ImageBuf frame = drawn_frame(1920, 1080, 1);
    for (const auto [width, height] : {std::pair{706, 397}, {320, 180}, {1000, 563}, {7, 5}}) {
        const Rgb8Image reduced = box_reduce_to_rgb8(frame, width, height);
        ASSERT_EQ(reduced.width, width);
        ASSERT_EQ(reduced.height, height);
        ASSERT_EQ(reduced.pixels.size(), std::size_t(width) * height * 3);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x)
                for (int c = 0; c < 3; ++c) {
                    const double expected = reference(frame, width, height, x, y, c);
                    const int got = reduced.pixels[(std::size_t(y) * width + x) * 3 + c];
                    // Rounded to the nearest code; at an exact half either way.
                    ASSERT_LE(std::abs(got - expected), 0.5 + 1e-9)
                        << width << "x" << height << " at " << x << "," << y << " channel " << c;
                }
    }
}

TEST(BoxReduction, WholeNumberFactorsAverageEachBlock) {
    const OIIO::ImageBuf frame = drawn_frame(64, 36, 2);
    const Rgb8Image reduced = box_reduce_to_rgb8(frame, 16, 9);  // 4 x 4 blocks
    const auto* pixels = static_cast<const std::uint16_t*>(frame.localpixels());
    for (int y = 0; y < 9; ++y)
        for (int x = 0; x < 16; ++x)
            for (int c = 0; c < 3; ++c) {
                std::uint64_t sum = 0;
                for (int j = 0; j < 4; ++j)
                    for (int i = 0; i < 4; ++i)
                        sum += pixels[((y * 4 + j) * 64 + x * 4 + i) * 3 + c];
                const auto expected = static_cast<int>((sum * 2 + 16 * 257) / (2 * 16 * 257));
                EXPECT_EQ(reduced.pixels[(y * 16 + x) * 3 + c], expected) << x << "," << y;
            }
}

TEST(BoxReduction, AnUnchangedSizeKeepsEveryCodeAndEightBitCodesMapExactly) {
    OIIO::ImageBuf frame(OIIO::ImageSpec(256, 2, 3, OIIO::TypeDesc::UINT16));
    auto* pixels = static_cast<std::uint16_t*>(frame.localpixels());
    for (int i = 0; i < 256 * 2 * 3; ++i)
        pixels[i] = static_cast<std::uint16_t>((i / 3 % 256) * 257);
    const Rgb8Image same = box_reduce_to_rgb8(frame, 256, 2);
    for (int i = 0; i < 256 * 2 * 3; ++i) ASSERT_EQ(same.pixels[i], i / 3 % 256);
    const Rgb8Image again = box_reduce(same, 256, 2);
    EXPECT_EQ(again.pixels, same.pixels);
}

TEST(BoxReduction, OtherLayoutsGiveTheSameImage) {
    const OIIO::ImageBuf frame = drawn_frame(640, 360, 3);
    const Rgb8Image expected = box_reduce_to_rgb8(frame, 200, 112);
    // With an alpha channel, and as float: the same RGB codes (float holds 16-bit codes
    // exactly and converts back to them).
    OIIO::ImageBuf with_alpha = OIIO::ImageBufAlgo::channels(frame, 4, {0, 1, 2, -1}, {0, 0, 0, 1});
    EXPECT_EQ(box_reduce_to_rgb8(with_alpha, 200, 112).pixels, expected.pixels);
    OIIO::ImageBuf as_float;
    as_float.copy(frame, OIIO::TypeDesc::FLOAT);
    EXPECT_EQ(box_reduce_to_rgb8(as_float, 200, 112).pixels, expected.pixels);
}

TEST(BoxReduction, TheThumbnailFromThePrintSizeBoardIsItsBoxReduction) {
    const OIIO::ImageBuf frame = drawn_frame(1920, 1080, 4);
    const Rgb8Image print = box_reduce_to_rgb8(frame, 706, 397);
    const Rgb8Image thumbnail = box_reduce(print, 320, 180);
    const Rgb8Image direct = box_reduce_to_rgb8(frame, 320, 180);
    int far = 0;
    for (std::size_t i = 0; i < thumbnail.pixels.size(); ++i)
        far += std::abs(int(thumbnail.pixels[i]) - int(direct.pixels[i])) > 24;
    // Two box passes blur a little more than one: hard line edges move by a few codes.
    EXPECT_LT(far, int(thumbnail.pixels.size() / 100));
}

TEST(BoxReduction, RefusesToEnlarge) {
    const OIIO::ImageBuf frame = drawn_frame(32, 18, 5);
    EXPECT_THROW(box_reduce_to_rgb8(frame, 33, 18), std::invalid_argument);
    EXPECT_THROW(box_reduce_to_rgb8(frame, 0, 1), std::invalid_argument);
}

}  // namespace
}  // namespace storyreel
