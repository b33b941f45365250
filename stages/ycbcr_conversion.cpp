#include "stages/ycbcr_conversion.h"

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
        case AV_PIX_FMT_YUV420P: return {8, 1, 1};
        case AV_PIX_FMT_YUV422P: return {8, 1, 0};
        case AV_PIX_FMT_YUV444P: return {8, 0, 0};
        case AV_PIX_FMT_YUV422P10LE: return {10, 1, 0};
        case AV_PIX_FMT_YUV444P10LE: return {10, 0, 0};
        default: break;
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

/// Analyses columns [x0, x1) of a row.
void analyse_row(const std::uint16_t* rgb, int x0, int x1, RowComponents& row) {
    constexpr float kScale = 1.0f / 65535.0f;
    for (int x = x0; x < x1; ++x) {
        const float r = rgb[3 * x] * kScale, g = rgb[3 * x + 1] * kScale,
                    b = rgb[3 * x + 2] * kScale;
        const float y = kKr * r + kKg * g + kKb * b;
        row.luma[x] = y;
        row.cb[x] = (b - y) / (2.0f * (1.0f - kKb));
        row.cr[x] = (r - y) / (2.0f * (1.0f - kKr));
    }
}

template <typename Sample>
void store(void* plane_row, int x, float code) {
    static_cast<Sample*>(plane_row)[x] = static_cast<Sample>(std::lround(code));
}

/// Chroma for the pair of luma samples starting at even x (their mean when subsampled).
float horizontal_chroma(const std::vector<float>& c, int x, bool subsampled) {
    if (!subsampled) return c[x];
    const int last = static_cast<int>(c.size()) - 1;
    return 0.5f * (c[x] + c[std::min(x + 1, last)]);
}

/// Rows [y0, y1) and columns [x0, x1) of the frame, on whole chroma samples.
struct Bounds {
    int x0, x1, y0, y1;
};

/// `region` widened to whole chroma samples and clipped to the frame.
Bounds chroma_aligned(const OIIO::ROI& region, const AVFrame& frame, PlaneFormat format) {
    const int step_x = 1 << format.chroma_shift_x, step_y = 1 << format.chroma_shift_y;
    Bounds b{std::max(0, region.xbegin), std::min(frame.width, region.xend), std::max(0, region.ybegin),
             std::min(frame.height, region.yend)};
    b.x0 -= b.x0 % step_x;
    b.y0 -= b.y0 % step_y;
    b.x1 = std::min(frame.width, (b.x1 + step_x - 1) / step_x * step_x);
    b.y1 = std::min(frame.height, (b.y1 + step_y - 1) / step_y * step_y);
    return b;
}

template <typename Sample>
void convert(const OIIO::ImageBuf& image, AVFrame* frame, PlaneFormat format, Bounds bounds) {
    const int width = frame->width;
    const float unit = static_cast<float>(1 << (format.bits - 8));
    const float luma_scale = 219.0f * unit, luma_offset = 16.0f * unit;
    const float chroma_scale = 224.0f * unit, chroma_offset = 128.0f * unit;
    const auto* pixels = static_cast<const std::uint8_t*>(image.localpixels());
    const auto stride = image.spec().scanline_bytes();
    const int rows_per_chroma = 1 << format.chroma_shift_y;
    const int chroma_step = 1 << format.chroma_shift_x;
    const bool subsampled = format.chroma_shift_x > 0;
    std::vector<RowComponents> rows(rows_per_chroma, RowComponents(width));
    for (int y0 = bounds.y0; y0 < bounds.y1; y0 += rows_per_chroma) {
        const int count = std::min(rows_per_chroma, bounds.y1 - y0);
        for (int i = 0; i < count; ++i) {
            const int y = y0 + i;
            analyse_row(reinterpret_cast<const std::uint16_t*>(pixels + y * stride), bounds.x0,
                        bounds.x1, rows[i]);
            void* luma_row = frame->data[0] + y * frame->linesize[0];
            for (int x = bounds.x0; x < bounds.x1; ++x)
                store<Sample>(luma_row, x, luma_offset + luma_scale * rows[i].luma[x]);
        }
        const int chroma_y = y0 >> format.chroma_shift_y;
        void* cb_row = frame->data[1] + chroma_y * frame->linesize[1];
        void* cr_row = frame->data[2] + chroma_y * frame->linesize[2];
        for (int x = bounds.x0, cx = bounds.x0 / chroma_step; x < bounds.x1; x += chroma_step, ++cx) {
            float cb = 0.f, cr = 0.f;
            for (int i = 0; i < count; ++i) {
                cb += horizontal_chroma(rows[i].cb, x, subsampled);
                cr += horizontal_chroma(rows[i].cr, x, subsampled);
            }
            store<Sample>(cb_row, cx, chroma_offset + chroma_scale * cb / count);
            store<Sample>(cr_row, cx, chroma_offset + chroma_scale * cr / count);
        }
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
