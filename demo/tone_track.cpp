#include "demo/tone_track.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <utility>

namespace storyreel::demo {

namespace {

/// A stateless hash of (seed, index) to a float in [-1, 1): noise that does not depend on
/// how the track is cut into blocks.
float hashed_unit_noise(std::uint64_t seed, std::uint64_t index) {
    std::uint64_t z = seed + index * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<float>(z >> 40) / static_cast<float>(1ull << 23) - 1.f;
}

/// Rounds half away from zero, without std::round (a library call per sample, a third of
/// the render time for an hour-long track).
std::int16_t to_pcm16(float value) {
    const float scaled = std::clamp(value, -1.f, 1.f) * 32767.f;
    return static_cast<std::int16_t>(scaled >= 0.f ? scaled + 0.5f : scaled - 0.5f);
}

}  // namespace

double tone_burst_frequency(int panel_index) { return 1000.0 + 100.0 * (panel_index % 5); }

ToneTrackRenderer::ToneTrackRenderer(ToneTrackDesign design) : design_(std::move(design)) {
    if (design_.channels < 1 || design_.sample_rate < 1 || design_.total_samples < 0)
        throw std::invalid_argument(
            "tone track: needs channels >= 1, a positive sample rate "
            "and a non-negative length");
    if (!std::is_sorted(
            design_.bursts.begin(), design_.bursts.end(),
            [](const ToneBurst& a, const ToneBurst& b) { return a.first_sample < b.first_sample; }))
        throw std::invalid_argument("tone track: bursts must be sorted by start sample");
    burst_length_ = std::llround(design_.burst_seconds * design_.sample_rate);
    fade_length_ = std::min<std::int64_t>(design_.sample_rate / 500, burst_length_ / 4);  // 2 ms
}

float ToneTrackRenderer::burst_value(std::int64_t sample) {
    const auto& bursts = design_.bursts;
    while (active_burst_ + 1 < bursts.size() && bursts[active_burst_ + 1].first_sample <= sample)
        ++active_burst_;
    if (bursts.empty() || bursts[active_burst_].first_sample > sample) return 0.f;
    const ToneBurst& burst = bursts[active_burst_];
    const std::int64_t age = sample - burst.first_sample;
    if (age >= burst_length_) return 0.f;
    double envelope = 1.0;
    if (const std::int64_t left = burst_length_ - age; left < fade_length_)
        envelope = static_cast<double>(left) / static_cast<double>(fade_length_);
    const double phase = 2.0 * std::numbers::pi * burst.frequency_hz * static_cast<double>(age) /
                         design_.sample_rate;
    return static_cast<float>(design_.burst_amplitude * envelope * std::cos(phase));
}

float ToneTrackRenderer::noise_value(std::int64_t sample, int channel) const {
    const auto index = static_cast<std::uint64_t>(sample) * design_.channels + channel;
    return design_.noise_amplitude * hashed_unit_noise(design_.noise_seed, index);
}

std::int64_t ToneTrackRenderer::render(std::span<std::int16_t> interleaved) {
    const std::int64_t capacity = static_cast<std::int64_t>(interleaved.size()) / design_.channels;
    const std::int64_t count = std::min(capacity, remaining());
    std::size_t out = 0;
    for (std::int64_t i = 0; i < count; ++i, ++next_sample_) {
        const float tone = burst_value(next_sample_);
        for (int channel = 0; channel < design_.channels; ++channel)
            interleaved[out++] = to_pcm16(tone + noise_value(next_sample_, channel));
    }
    return count;
}

}  // namespace storyreel::demo
