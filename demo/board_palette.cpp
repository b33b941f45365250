#include "demo/board_palette.h"

#include <cmath>

namespace storyreel::demo {

namespace {

/// Hue stride between consecutive panels, in palette steps of 15 degrees. Odd and coprime
/// with the palette size, so it visits every entry and alternates the brightness.
constexpr int kPaletteStride = 7;

float quantized_to_8_bits(float value) { return std::round(value * 255.f) / 255.f; }

std::array<float, 3> hsv_to_rgb(float hue_degrees, float saturation, float value) {
    const float chroma = value * saturation;
    const float sector = hue_degrees / 60.f;
    const float x = chroma * (1.f - std::fabs(std::fmod(sector, 2.f) - 1.f));
    std::array<float, 3> rgb{};
    switch (static_cast<int>(sector) % 6) {
        case 0:
            rgb = {chroma, x, 0.f};
            break;
        case 1:
            rgb = {x, chroma, 0.f};
            break;
        case 2:
            rgb = {0.f, chroma, x};
            break;
        case 3:
            rgb = {0.f, x, chroma};
            break;
        case 4:
            rgb = {x, 0.f, chroma};
            break;
        default:
            rgb = {chroma, 0.f, x};
            break;
    }
    const float lift = value - chroma;
    for (float& channel : rgb) channel = quantized_to_8_bits(channel + lift);
    return rgb;
}

}  // namespace

std::array<float, 3> board_block_colour(int panel_index) {
    const int entry = (panel_index % kBoardPaletteSize) * kPaletteStride % kBoardPaletteSize;
    const float hue = 15.f * static_cast<float>(entry);
    const float value = entry % 2 == 0 ? 0.95f : 0.7f;
    return hsv_to_rgb(hue, 0.85f, value);
}

}  // namespace storyreel::demo
