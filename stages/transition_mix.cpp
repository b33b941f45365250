#include "stages/transition_mix.h"

#include <algorithm>
#include <cstdint>

namespace storyreel {

OIIO::ImageBuf mix_pictures(const OIIO::ImageBuf* a, double weight_a, const OIIO::ImageBuf* b,
                            double weight_b, const OIIO::ImageSpec& spec) {
    OIIO::ImageBuf result(spec);
    const std::size_t count = static_cast<std::size_t>(spec.width) * spec.height * 3;
    auto* out = static_cast<std::uint16_t*>(result.localpixels());
    const auto* pa = a ? static_cast<const std::uint16_t*>(a->localpixels()) : nullptr;
    const auto* pb = b ? static_cast<const std::uint16_t*>(b->localpixels()) : nullptr;
    const float wa = static_cast<float>(weight_a);
    const float wb = static_cast<float>(weight_b);
    for (std::size_t i = 0; i < count; ++i) {
        const float value = (pa ? pa[i] * wa : 0.f) + (pb ? pb[i] * wb : 0.f);
        out[i] = static_cast<std::uint16_t>(std::clamp(value + 0.5f, 0.f, 65535.f));
    }
    return result;
}

std::pair<double, double> transition_weights(TransitionType type, std::int64_t index,
                                             std::int64_t frames) {
    const double progress = static_cast<double>(index + 1) / static_cast<double>(frames + 1);
    if (type == TransitionType::Dissolve) return {1.0 - progress, progress};
    if (progress < 0.5) return {1.0 - 2.0 * progress, 0.0};
    return {0.0, 2.0 * progress - 1.0};
}

double fade_in_weight(std::int64_t index, std::int64_t frames) {
    return static_cast<double>(index) / static_cast<double>(frames);
}

double fade_out_weight(std::int64_t index, std::int64_t frames) {
    return static_cast<double>(frames - 1 - index) / static_cast<double>(frames);
}

}  // namespace storyreel
