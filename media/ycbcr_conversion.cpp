#include "media/ycbcr_conversion.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace storyreel {

namespace {

constexpr float kKr = 0.2126f, kKg = 0.7152f, kKb = 0.0722f;

struct PlaneFormat {
    int bits = 8;
    int chroma_shift_x = 1;  ///< log2 horizontal subsampling
    int chroma_shift_y = 0;  ///< log2 vertical subsampling
};

PlaneFormat plane_format(int pix_fmt) {
    switch (pix_fmt) {
        case AV_PIX_FMT_YUV420P:
            return {8, 1, 1};
        case AV_PIX_FMT_YUV422P:
            return {8, 1, 0};
        case AV_PIX_FMT_YUV444P:
            return {8, 0, 0};
        case AV_PIX_FMT_YUV422P10LE:
            return {10, 1, 0};
        case AV_PIX_FMT_YUV444P10LE:
            return {10, 0, 0};
        default:
            break;
    }
    const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(pix_fmt));
    throw std::invalid_argument(std::string("no Y'CbCr conversion to pixel format ") +
                                (name ? name : "?"));
}

/// One row of full-resolution Y' (0..1) and Cb, Cr (-0.5..0.5).
struct RowComponents {
    std::vector<float> luma, cb, cr;
    explicit RowComponents(int width) : luma(width), cb(width), cr(width) {}
};

/// Analyses columns [x0, x1) of a row: an eighth of an intra build's CPU. It multiplies by
/// the reciprocals of the chroma divisors, and has an AVX2 clone (GCC only vectorises the
/// 16-bit to float widening with 256-bit vectors) chosen at load time; AVX2 without FMA
/// rounds every operation as the SSE2 version does, so both give the same bytes.
__attribute__((target_clones("avx2", "default"))) void analyse_row(const std::uint16_t* rgb, int x0,
                                                                   int x1, RowComponents& row) {
    constexpr float kScale = 1.0f / 65535.0f;
    constexpr float kCbScale = 1.0f / (2.0f * (1.0f - kKb)),
                    kCrScale = 1.0f / (2.0f * (1.0f - kKr));
    float* luma = row.luma.data();
    float* cb = row.cb.data();
    float* cr = row.cr.data();
    for (int x = x0; x < x1; ++x) {
        const float r = rgb[3 * x] * kScale, g = rgb[3 * x + 1] * kScale,
                    b = rgb[3 * x + 2] * kScale;
        const float y = kKr * r + kKg * g + kKb * b;
        luma[x] = y;
        cb[x] = (b - y) * kCbScale;
        cr[x] = (r - y) * kCrScale;
    }
}

/// Codes are never negative (offsets of 16 and 128 code values), so adding one half and
/// truncating rounds to nearest without a libm call (and lets the loops vectorise).
template <typename Sample>
void store(void* plane_row, int x, float code) {
    static_cast<Sample*>(plane_row)[x] = static_cast<Sample>(static_cast<int>(code + 0.5f));
}

/// Code values of one bit depth: Y' 16..235 and Cb/Cr 16..240 scaled to `bits`.
struct CodeRange {
    float luma_scale, luma_offset, chroma_scale, chroma_offset;
    explicit CodeRange(int bits) {
        const float unit = static_cast<float>(1 << (bits - 8));
        luma_scale = 219.0f * unit;
        luma_offset = 16.0f * unit;
        chroma_scale = 224.0f * unit;
        chroma_offset = 128.0f * unit;
    }
};

/// Columns [x0, x1) of one chroma row from the `count` full-resolution rows it covers
/// (x0 even when subsampled): the rows are summed into rows[0], then each sample is the mean
/// of its (up to four) source samples.
template <typename Sample>
void store_chroma_row(std::vector<RowComponents>& rows, int count, bool subsampled,
                      const CodeRange& codes, int x0, int x1, void* cb_row, void* cr_row) {
    float* cb = rows[0].cb.data();
    float* cr = rows[0].cr.data();
    for (int i = 1; i < count; ++i)
        for (int x = x0; x < x1; ++x) {
            cb[x] += rows[i].cb[x];
            cr[x] += rows[i].cr[x];
        }
    const float scale = codes.chroma_scale / static_cast<float>(count);
    const float offset = codes.chroma_offset;
    if (!subsampled) {
        for (int x = x0; x < x1; ++x) {
            store<Sample>(cb_row, x, offset + scale * cb[x]);
            store<Sample>(cr_row, x, offset + scale * cr[x]);
        }
        return;
    }
    const int pairs_end = x1 / 2;
    const float pair_scale = 0.5f * scale;
    for (int cx = x0 / 2; cx < pairs_end; ++cx) {  // branch-free so that it vectorises
        store<Sample>(cb_row, cx, offset + pair_scale * (cb[2 * cx] + cb[2 * cx + 1]));
        store<Sample>(cr_row, cx, offset + pair_scale * (cr[2 * cx] + cr[2 * cx + 1]));
    }
    if (x1 % 2 != 0) {  // an odd last column has no partner
        store<Sample>(cb_row, pairs_end, offset + scale * cb[x1 - 1]);
        store<Sample>(cr_row, pairs_end, offset + scale * cr[x1 - 1]);
    }
}

/// Rows [y0, y1) and columns [x0, x1) of the frame, on whole chroma samples.
struct Bounds {
    int x0, x1, y0, y1;
};

/// `region` widened to whole chroma samples and clipped to the frame.
Bounds chroma_aligned(const OIIO::ROI& region, const AVFrame& frame, PlaneFormat format) {
    const int step_x = 1 << format.chroma_shift_x, step_y = 1 << format.chroma_shift_y;
    Bounds b{std::max(0, region.xbegin), std::min(frame.width, region.xend),
             std::max(0, region.ybegin), std::min(frame.height, region.yend)};
    b.x0 -= b.x0 % step_x;
    b.y0 -= b.y0 % step_y;
    b.x1 = std::min(frame.width, (b.x1 + step_x - 1) / step_x * step_x);
    b.y1 = std::min(frame.height, (b.y1 + step_y - 1) / step_y * step_y);
    return b;
}

template <typename Sample>
void convert(const OIIO::ImageBuf& image, AVFrame* frame, PlaneFormat format, Bounds bounds) {
    const int width = frame->width;
    const CodeRange codes(format.bits);
    const auto* pixels = static_cast<const std::uint8_t*>(image.localpixels());
    const auto stride = image.spec().scanline_bytes();
    const int rows_per_chroma = 1 << format.chroma_shift_y;
    std::vector<RowComponents> rows(rows_per_chroma, RowComponents(width));
    for (int y0 = bounds.y0; y0 < bounds.y1; y0 += rows_per_chroma) {
        const int count = std::min(rows_per_chroma, bounds.y1 - y0);
        for (int i = 0; i < count; ++i) {
            const int y = y0 + i;
            analyse_row(reinterpret_cast<const std::uint16_t*>(pixels + y * stride), bounds.x0,
                        bounds.x1, rows[i]);
            void* luma_row = frame->data[0] + y * frame->linesize[0];
            for (int x = bounds.x0; x < bounds.x1; ++x)
                store<Sample>(luma_row, x, codes.luma_offset + codes.luma_scale * rows[i].luma[x]);
        }
        const int chroma_y = y0 >> format.chroma_shift_y;
        store_chroma_row<Sample>(rows, count, format.chroma_shift_x > 0, codes, bounds.x0,
                                 bounds.x1, frame->data[1] + chroma_y * frame->linesize[1],
                                 frame->data[2] + chroma_y * frame->linesize[2]);
    }
}

}  // namespace

void rgb16_to_video_ycbcr(const OIIO::ImageBuf& image, AVFrame* frame, const OIIO::ROI& region) {
    const PlaneFormat format = plane_format(frame->format);
    const Bounds bounds = chroma_aligned(region, *frame, format);
    if (format.bits > 8)
        convert<std::uint16_t>(image, frame, format, bounds);
    else
        convert<std::uint8_t>(image, frame, format, bounds);
}

void rgb16_to_video_ycbcr(const OIIO::ImageBuf& image, AVFrame* frame) {
    rgb16_to_video_ycbcr(image, frame, OIIO::ROI(0, frame->width, 0, frame->height));
}

}  // namespace storyreel
