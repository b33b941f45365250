#pragma once
// Full-range RGB (UINT16) to video-range BT.709 Y'CbCr planes, computed exactly.
//
// Why not swscale: from 16-bit RGB (rgb48, gbrp16, rgba64, even gbrpf32) to video-range
// YUV, Debian 12's swscale (FFmpeg 5.1) maps white to 943 of 10 bits, 236 of 8 bits
// (3774 of 12) instead of 940 / 235 / 3760: every picture comes out ~0.35% too bright.
// A 3x3 matrix and a chroma filter are cheap, so storyreel does it itself, exactly:
//   Y' = 0.2126 R + 0.7152 G + 0.0722 B,  Cb = (B - Y') / 1.8556,  Cr = (R - Y') / 1.5748
//   Y = (16 + 219 Y') * 2^(bits-8),       C = (128 + 224 C) * 2^(bits-8)
// Chroma is subsampled from full-resolution chroma by averaging each pair of columns (and,
// for 4:2:0, each pair of rows): what FFmpeg's own RGB to 4:2:x path does, so storyreel's
// pictures match those of the tools editorial compares them with.

#include <OpenImageIO/imagebuf.h>

extern "C" {
#include <libavutil/frame.h>
}

namespace storyreel {

/// Fills `frame` (already allocated; yuv420p, yuv422p, yuv422p10le, yuv444p or
/// yuv444p10le, same size as `image`) from an RGB UINT16 image. Throws std::invalid_argument
/// for any other pixel format.
void rgb16_to_video_ycbcr(const OIIO::ImageBuf& image, AVFrame* frame);

/// The same for `region` of the image only (widened to whole chroma samples), leaving the
/// rest of `frame` as it is: a frame that changed only there (burn-in text) is updated
/// without converting it all again.
void rgb16_to_video_ycbcr(const OIIO::ImageBuf& image, AVFrame* frame, const OIIO::ROI& region);

}  // namespace storyreel
