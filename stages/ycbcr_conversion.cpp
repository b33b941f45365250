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

void analyse_row(const std::uint16_t* rgb, int width, RowComponents& row) {
    constexpr float kScale = 1.0f / 65535.0f;
    for (int x = 0; x < width; ++x) {
        const float r = rgb[3 * x] * kScale, g = rgb[3 * x + 1] * kScale,
                    b = rgb[3 * x + 2] * kScale;
        const float y = kKr * r + kKg * g + kKb * b;
        row.luma[x] = y;
        row.cb[x] = (b - y) / (2.0f * (1.0f - kKb));
        row.cr[x] = (r - y) / (2.0f * (1.0f - kKr));
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

/// One chroma row from the `count` full-resolution rows it covers: the rows are summed
/// into rows[0], then each sample is the mean of its (up to four) source samples.
template <typename Sample>
void store_chroma_row(std::vector<RowComponents>& rows, int count, bool subsampled,
                      const CodeRange& codes, void* cb_row, void* cr_row) {
    const int width = static_cast<int>(rows[0].cb.size());
    float* cb = rows[0].cb.data();
    float* cr = rows[0].cr.data();
    for (int i = 1; i < count; ++i)
        for (int x = 0; x < width; ++x) {
            cb[x] += rows[i].cb[x];
            cr[x] += rows[i].cr[x];
        }
    const float scale = codes.chroma_scale / static_cast<float>(count);
    const float offset = codes.chroma_offset;
    if (!subsampled) {
        for (int x = 0; x < width; ++x) {
            store<Sample>(cb_row, x, offset + scale * cb[x]);
            store<Sample>(cr_row, x, offset + scale * cr[x]);
        }
        return;
    }
    const int pairs = width / 2;
    const float pair_scale = 0.5f * scale;
    for (int cx = 0; cx < pairs; ++cx) {  // branch-free so that it vectorises
        store<Sample>(cb_row, cx, offset + pair_scale * (cb[2 * cx] + cb[2 * cx + 1]));
        store<Sample>(cr_row, cx, offset + pair_scale * (cr[2 * cx] + cr[2 * cx + 1]));
    }
    if (width % 2 != 0) {  // an odd last column has no partner
        store<Sample>(cb_row, pairs, offset + scale * cb[width - 1]);
        store<Sample>(cr_row, pairs, offset + scale * cr[width - 1]);
    }
}

template <typename Sample>
void convert(const OIIO::ImageBuf& image, AVFrame* frame, PlaneFormat format) {
    const int width = frame->width, height = frame->height;
    const CodeRange codes(format.bits);
    const auto* pixels = static_cast<const std::uint8_t*>(image.localpixels());
    const auto stride = image.spec().scanline_bytes();
    const int rows_per_chroma = 1 << format.chroma_shift_y;
    std::vector<RowComponents> rows(rows_per_chroma, RowComponents(width));
    for (int y0 = 0; y0 < height; y0 += rows_per_chroma) {
        const int count = std::min(rows_per_chroma, height - y0);
        for (int i = 0; i < count; ++i) {
            const int y = y0 + i;
            analyse_row(reinterpret_cast<const std::uint16_t*>(pixels + y * stride), width,
                        rows[i]);
            void* luma_row = frame->data[0] + y * frame->linesize[0];
            for (int x = 0; x < width; ++x)
                store<Sample>(luma_row, x, codes.luma_offset + codes.luma_scale * rows[i].luma[x]);
        }
        const int chroma_y = y0 >> format.chroma_shift_y;
        store_chroma_row<Sample>(rows, count, format.chroma_shift_x > 0, codes,
                                 frame->data[1] + chroma_y * frame->linesize[1],
                                 frame->data[2] + chroma_y * frame->linesize[2]);
    }
}

}  // namespace

void rgb16_to_video_ycbcr(const OIIO::ImageBuf& image, AVFrame* frame) {
    const PlaneFormat format = plane_format(frame->format);
    if (format.bits > 8)
        convert<std::uint16_t>(image, frame, format);
    else
        convert<std::uint8_t>(image, frame, format);
}

}  // namespace storyreel
