#include "stages/box_reduction.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>
#include <string>

namespace storyreel {

namespace {

/// For every output pixel along one axis, the input pixels it covers and how much of each:
/// output pixel o covers [o * in, (o + 1) * in) and input pixel i covers [i * out,
/// (i + 1) * out), both in units of 1/out input pixel, so every overlap is an integer and
/// the weights of one output pixel sum to `in`.
struct Spans {
    std::vector<int> first;             ///< per output pixel, its first input pixel
    std::vector<std::size_t> begin;     ///< per output pixel, its first weight (size out + 1)
    std::vector<std::uint32_t> weight;  ///< every span's weights, one after the other
};

Spans spans(int in, int out) {
    Spans result;
    result.begin.push_back(0);
    for (int o = 0; o < out; ++o) {
        const std::int64_t low = std::int64_t{o} * in, high = std::int64_t{o + 1} * in;
        const int first = static_cast<int>(low / out);
        const int end = static_cast<int>((high + out - 1) / out);
        result.first.push_back(first);
        for (int i = first; i < end; ++i) {
            const std::int64_t from = std::max(low, std::int64_t{i} * out);
            const std::int64_t to = std::min(high, std::int64_t{i + 1} * out);
            result.weight.push_back(static_cast<std::uint32_t>(to - from));
        }
        result.begin.push_back(result.weight.size());
    }
    return result;
}

/// Reduces packed RGB rows of `Sample` (`row_stride` samples apart) to 8 bits: `divisor`
/// maps the input's full scale onto 255 (257 for 16-bit codes, 1 for 8-bit).
template <typename Sample>
Rgb8Image reduce(const Sample* pixels, std::size_t row_stride, int in_width, int in_height,
                 int width, int height, unsigned divisor) {
    // Column sums of one output row fit 32 bits while in_height * max(Sample) does.
    assert(static_cast<std::uint64_t>(in_height) * std::numeric_limits<Sample>::max() <=
           std::numeric_limits<std::uint32_t>::max());
    Rgb8Image result{width, height, std::vector<std::uint8_t>(std::size_t(width) * height * 3)};
    const Spans rows = spans(in_height, height), columns = spans(in_width, width);
    const std::size_t samples = std::size_t(in_width) * 3;
    std::vector<std::uint32_t> sums(samples);
    const double scale = 1.0 / (double(in_width) * in_height * divisor);
    for (int y = 0; y < height; ++y) {
        std::fill(sums.begin(), sums.end(), 0u);
        const Sample* row = pixels + std::size_t(rows.first[y]) * row_stride;
        for (std::size_t w = rows.begin[y]; w < rows.begin[y + 1]; ++w, row += row_stride) {
            const std::uint32_t weight = rows.weight[w];
            for (std::size_t i = 0; i < samples; ++i) sums[i] += weight * row[i];
        }
        std::uint8_t* out = result.pixels.data() + std::size_t(y) * width * 3;
        for (int x = 0; x < width; ++x) {
            std::uint64_t r = 0, g = 0, b = 0;
            const std::uint32_t* sum = sums.data() + std::size_t(columns.first[x]) * 3;
            for (std::size_t w = columns.begin[x]; w < columns.begin[x + 1]; ++w, sum += 3) {
                const std::uint64_t weight = columns.weight[w];
                r += weight * sum[0];
                g += weight * sum[1];
                b += weight * sum[2];
            }
            for (const std::uint64_t total : {r, g, b})
                *out++ = static_cast<std::uint8_t>(std::min(255.0, double(total) * scale + 0.5));
        }
    }
    return result;
}

void check_size(int in_width, int in_height, int width, int height) {
    if (width < 1 || height < 1 || width > in_width || height > in_height)
        throw std::invalid_argument("box reduction from " + std::to_string(in_width) + "x" +
                                    std::to_string(in_height) + " to " + std::to_string(width) +
                                    "x" + std::to_string(height) + ": not a reduction");
}

}  // namespace

Rgb8Image box_reduce_to_rgb8(const OIIO::ImageBuf& board, int width, int height) {
    const OIIO::ImageSpec& spec = board.spec();
    check_size(spec.width, spec.height, width, height);
    // Column sums of 16-bit codes fit 32 bits for boards up to 65,537 rows; none is taller
    // (pipeline/input_limits.h caps boards far below).
    if (spec.height > 65537) throw std::invalid_argument("box reduction: board too tall");
    const auto* local = static_cast<const std::uint16_t*>(board.localpixels());
    if (local && spec.format == OIIO::TypeDesc::UINT16 && spec.nchannels == 3 &&
        board.pixel_stride() == 6 && board.scanline_stride() == OIIO::stride_t(spec.width) * 6)
        return reduce(local, std::size_t(spec.width) * 3, spec.width, spec.height, width, height,
                      257);
    // Another layout (float, alpha, a cached image): its RGB as packed 16-bit codes first.
    std::vector<std::uint16_t> packed(std::size_t(spec.width) * spec.height * 3);
    OIIO::ROI roi = board.roi();
    roi.chbegin = 0;
    roi.chend = std::min(3, spec.nchannels);
    if (roi.chend < 3) {  // grey: repeat the one channel
        roi.chend = 1;
        std::vector<std::uint16_t> grey(std::size_t(spec.width) * spec.height);
        board.get_pixels(roi, OIIO::TypeDesc::UINT16, grey.data());
        for (std::size_t i = 0; i < grey.size(); ++i)
            packed[3 * i] = packed[3 * i + 1] = packed[3 * i + 2] = grey[i];
    } else {
        board.get_pixels(roi, OIIO::TypeDesc::UINT16, packed.data());
    }
    return reduce(packed.data(), std::size_t(spec.width) * 3, spec.width, spec.height, width,
                  height, 257);
}

Rgb8Image box_reduce(const Rgb8Image& image, int width, int height) {
    check_size(image.width, image.height, width, height);
    return reduce(image.pixels.data(), std::size_t(image.width) * 3, image.width, image.height,
                  width, height, 1);
}

}  // namespace storyreel
