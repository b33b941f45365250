// The RGB -> video-range BT.709 Y'CbCr conversion gives the codes the standard defines.
#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "media/av_handles.h"
#include "media/ycbcr_conversion.h"

namespace storyreel {
namespace {

OIIO::ImageBuf flat_rgb16(int width, int height, float r, float g, float b) {
    OIIO::ImageBuf image(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT16));
    const float colour[] = {r, g, b};
    OIIO::ImageBufAlgo::fill(image, colour);
    return image;
}

av::FramePtr converted(const OIIO::ImageBuf& image, AVPixelFormat format) {
    auto frame = av::make_frame();
    frame->format = format;
    frame->width = image.spec().width;
    frame->height = image.spec().height;
    EXPECT_GE(av_frame_get_buffer(frame.get(), 0), 0);
    rgb16_to_video_ycbcr(image, frame.get());
    return frame;
}

struct Codes {
    int y, cb, cr;
};

Codes codes_at(const AVFrame* frame, int x, int y, bool ten_bit, int shift_x, int shift_y) {
    auto sample = [&](int plane, int px, int py) -> int {
        const std::uint8_t* row = frame->data[plane] + py * frame->linesize[plane];
        return ten_bit ? reinterpret_cast<const std::uint16_t*>(row)[px] : row[px];
    };
    return {sample(0, x, y), sample(1, x >> shift_x, y >> shift_y),
            sample(2, x >> shift_x, y >> shift_y)};
}

TEST(YCbCrConversion, WhiteBlackAndGreyHitTheVideoRangeCodes10Bit) {
    const struct {
        float value;
        int y;
    } cases[] = {{1.0f, 940}, {0.0f, 64}, {0.5f, 502}};
    for (const auto& c : cases) {
        auto frame =
            converted(flat_rgb16(16, 4, c.value, c.value, c.value), AV_PIX_FMT_YUV422P10LE);
        const Codes codes = codes_at(frame.get(), 6, 2, true, 1, 0);
        EXPECT_EQ(codes.y, c.y) << "grey " << c.value;
        EXPECT_EQ(codes.cb, 512) << "grey " << c.value;
        EXPECT_EQ(codes.cr, 512) << "grey " << c.value;
    }
}

TEST(YCbCrConversion, PrimariesFollowTheBt709Matrix8Bit) {
    // Rec. ITU-R BT.709 table: red = (63, 102, 240), green = (173, 42, 26), blue = (32, 240, 118).
    const struct {
        float r, g, b;
        Codes expected;
    } cases[] = {{1, 0, 0, {63, 102, 240}}, {0, 1, 0, {173, 42, 26}}, {0, 0, 1, {32, 240, 118}}};
    for (const auto& c : cases) {
        for (AVPixelFormat format : {AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P}) {
            auto frame = converted(flat_rgb16(16, 4, c.r, c.g, c.b), format);
            const Codes codes =
                codes_at(frame.get(), 4, 2, false, 1, format == AV_PIX_FMT_YUV420P ? 1 : 0);
            EXPECT_EQ(codes.y, c.expected.y);
            EXPECT_EQ(codes.cb, c.expected.cb);
            EXPECT_EQ(codes.cr, c.expected.cr);
        }
    }
}

TEST(YCbCrConversion, ChromaAveragesEachPairOfColumnsAndRows) {
    // Red and blue columns alternate: every 4:2:2 chroma sample is their mean. In 4:2:0,
    // red and blue rows alternate too.
    OIIO::ImageBuf image = flat_rgb16(16, 4, 0, 0, 1);
    const float red[] = {1, 0, 0};
    for (int x = 0; x < 16; x += 2) OIIO::ImageBufAlgo::fill(image, red, OIIO::ROI(x, x + 1, 0, 4));
    const double mixed_cr = 128 + 224 * 0.5 * (0.5 + (-0.0722 / 1.5748));
    auto frame = converted(image, AV_PIX_FMT_YUV422P);
    EXPECT_NEAR(codes_at(frame.get(), 6, 1, false, 1, 0).cr, mixed_cr, 0.51);
    EXPECT_EQ(codes_at(frame.get(), 6, 1, false, 1, 0).y, 63);  // the red column's own luma
    OIIO::ImageBuf rows = flat_rgb16(16, 4, 0, 0, 1);
    OIIO::ImageBufAlgo::fill(rows, red, OIIO::ROI(0, 16, 0, 1));
    OIIO::ImageBufAlgo::fill(rows, red, OIIO::ROI(0, 16, 2, 3));
    auto frame420 = converted(rows, AV_PIX_FMT_YUV420P);
    EXPECT_NEAR(codes_at(frame420.get(), 4, 2, false, 1, 1).cr, mixed_cr, 0.51);
}

/// Every plane of two frames of the same format and size, byte for byte.
bool same_planes(const AVFrame* a, const AVFrame* b, int shift_y) {
    const int bytes_per_sample = a->format == AV_PIX_FMT_YUV422P10LE ? 2 : 1;
    for (int plane = 0; plane < 3; ++plane) {
        const int rows = plane == 0 ? a->height : (a->height + (1 << shift_y) - 1) >> shift_y;
        const int samples = plane == 0 ? a->width : (a->width + 1) / 2;  // 4:2:x chroma
        for (int y = 0; y < rows; ++y)
            if (std::memcmp(a->data[plane] + y * a->linesize[plane],
                            b->data[plane] + y * b->linesize[plane],
                            static_cast<std::size_t>(samples * bytes_per_sample)) != 0)
                return false;
    }
    return true;
}

TEST(YCbCrConversion, ConvertingOnlyTheChangedRegionGivesTheWholeConversion) {
    // Given a frame converted whole, a change drawn inside an odd-edged box, and only that
    // box converted again, we should get exactly the frame of the changed image.
    OIIO::ImageBuf before = flat_rgb16(37, 21, 0.2f, 0.6f, 0.3f);
    const float stripes[] = {0.9f, 0.1f, 0.5f};
    OIIO::ImageBufAlgo::fill(before, stripes, OIIO::ROI(0, 37, 5, 9));
    OIIO::ImageBuf after;
    after.copy(before);
    const OIIO::ROI box(7, 20, 3, 14);
    const float text[] = {1.f, 1.f, 0.f};
    OIIO::ImageBufAlgo::fill(after, text, box);
    const struct {
        AVPixelFormat format;
        int shift_y;
    } formats[] = {{AV_PIX_FMT_YUV420P, 1}, {AV_PIX_FMT_YUV422P, 0}, {AV_PIX_FMT_YUV422P10LE, 0}};
    for (const auto& f : formats) {
        auto updated = converted(before, f.format);
        rgb16_to_video_ycbcr(after, updated.get(), box);
        const auto whole = converted(after, f.format);
        EXPECT_TRUE(same_planes(updated.get(), whole.get(), f.shift_y))
            << av_get_pix_fmt_name(f.format);
        const auto unchanged = converted(before, f.format);
        EXPECT_FALSE(same_planes(updated.get(), unchanged.get(), f.shift_y))
            << "the box was not converted";
    }
}

}  // namespace
}  // namespace storyreel

namespace storyreel {
namespace {

/// The codes by the formula, one sample at a time (compiled for the baseline CPU): the
/// conversion's vectorised (AVX2) clone must round exactly as this does, or farm nodes with
/// and without AVX2 would encode different bytes for one board.
int reference_luma(std::uint16_t r16, std::uint16_t g16, std::uint16_t b16, int bits) {
    constexpr float kScale = 1.0f / 65535.0f;
    const float r = r16 * kScale, g = g16 * kScale, b = b16 * kScale;
    const float y = 0.2126f * r + 0.7152f * g + 0.0722f * b;
    const float unit = static_cast<float>(1 << (bits - 8));
    return static_cast<int>(16.0f * unit + 219.0f * unit * y + 0.5f);
}

int reference_chroma_444(std::uint16_t r16, std::uint16_t g16, std::uint16_t b16, int bits,
                         bool blue) {
    constexpr float kScale = 1.0f / 65535.0f;
    const float r = r16 * kScale, g = g16 * kScale, b = b16 * kScale;
    const float y = 0.2126f * r + 0.7152f * g + 0.0722f * b;
    const float c = blue ? (b - y) * (1.0f / (2.0f * (1.0f - 0.0722f)))
                         : (r - y) * (1.0f / (2.0f * (1.0f - 0.2126f)));
    const float unit = static_cast<float>(1 << (bits - 8));
    return static_cast<int>(128.0f * unit + 224.0f * unit * c + 0.5f);
}

TEST(YCbCrConversion, EveryCodeOfANoiseImageMatchesTheScalarFormula) {
    const int width = 1037, height = 9;  // odd width: the vector loop's tail too
    OIIO::ImageBuf noise(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT16));
    auto* pixels = static_cast<std::uint16_t*>(noise.localpixels());
    std::uint32_t state = 12345;
    for (int i = 0; i < width * height * 3; ++i) {
        state = state * 1664525u + 1013904223u;
        pixels[i] = static_cast<std::uint16_t>(state >> 16);
    }
    for (const auto format : {AV_PIX_FMT_YUV444P10LE, AV_PIX_FMT_YUV444P}) {
        const bool ten_bit = format == AV_PIX_FMT_YUV444P10LE;
        const int bits = ten_bit ? 10 : 8;
        auto frame = converted(noise, format);
        int mismatches = 0;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                const std::uint16_t* p = pixels + 3 * (y * width + x);
                const Codes codes = codes_at(frame.get(), x, y, ten_bit, 0, 0);
                mismatches += codes.y != reference_luma(p[0], p[1], p[2], bits);
                mismatches += codes.cb != reference_chroma_444(p[0], p[1], p[2], bits, true);
                mismatches += codes.cr != reference_chroma_444(p[0], p[1], p[2], bits, false);
            }
        EXPECT_EQ(mismatches, 0) << bits << "-bit";
    }
}

}  // namespace
}  // namespace storyreel
