#include "stages/waveform_image.h"

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>

#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

constexpr float kBackground[] = {0.08f, 0.08f, 0.09f};
constexpr float kCentre[] = {0.25f, 0.25f, 0.28f};
constexpr float kWave[] = {0.35f, 0.80f, 0.55f};
constexpr float kMark[] = {1.0f, 0.75f, 0.15f};

void fill(OIIO::ImageBuf& image, int x0, int x1, int y0, int y1, const float* colour) {
    OIIO::ImageBufAlgo::fill(image, {colour, 3}, OIIO::ROI(x0, x1, y0, y1, 0, 1, 0, 3));
}

}  // namespace

std::vector<std::pair<float, float>> waveform_columns(
    std::int64_t count, int width, const std::function<void(std::int64_t, int, float*)>& read) {
    std::vector<std::pair<float, float>> columns(static_cast<std::size_t>(width), {0.f, 0.f});
    std::vector<float> block;
    constexpr std::int64_t kBlock = 48000;
    for (std::int64_t at = 0; at < count; at += kBlock) {
        const int n = static_cast<int>(std::min(kBlock, count - at));
        block.resize(static_cast<std::size_t>(n) * 2);
        read(at, n, block.data());
        // Sample s falls in column s * width / count: walk the block a column at a time
        // (one division per column, not per sample) so the inner loop is plain min/max.
        for (std::int64_t i = 0; i < n;) {
            const std::int64_t column = (at + i) * width / count;
            const std::int64_t next = ((column + 1) * count + width - 1) / width;
            const std::int64_t stop = std::min<std::int64_t>(n, next - at);
            auto& [low, high] = columns[static_cast<std::size_t>(column)];
            float lo = low, hi = high;
            for (const float* sample = block.data() + 2 * i; i < stop; ++i, sample += 2) {
                lo = std::min(lo, std::min(sample[0], sample[1]));
                hi = std::max(hi, std::max(sample[0], sample[1]));
            }
            low = lo;
            high = hi;
        }
    }
    return columns;
}

void write_waveform_png(const std::filesystem::path& file, std::int64_t count,
                        const std::function<void(std::int64_t, int, float*)>& read,
                        const std::vector<std::int64_t>& marks, const WaveformStyle& style) {
    const int width = style.width, height = style.height, middle = height / 2;
    OIIO::ImageBuf image(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT8));
    fill(image, 0, width, 0, height, kBackground);
    fill(image, 0, width, middle, middle + 1, kCentre);
    if (count > 0) {
        const auto columns = waveform_columns(count, width, read);
        for (int x = 0; x < width; ++x) {
            const auto [low, high] = columns[static_cast<std::size_t>(x)];
            const int top =
                std::clamp(middle - static_cast<int>(std::lround(high * middle)), 0, height - 1);
            const int bottom =
                std::clamp(middle - static_cast<int>(std::lround(low * middle)), 0, height - 1);
            fill(image, x, x + 1, top, bottom + 1, kWave);
        }
        for (std::int64_t mark : marks) {
            const int x =
                static_cast<int>(std::clamp<std::int64_t>(mark * width / count, 0, width - 1));
            fill(image, x, x + 1, 0, height, kMark);
        }
    }
    if (!image.write(file.string(), OIIO::TypeDesc::UINT8, "png"))
        throw BuildError({{file.string(), 0, 0},
                          "waveform image",
                          "cannot write the PNG: " + image.geterror(),
                          "check free space and permissions in the output folder"});
}

}  // namespace storyreel
