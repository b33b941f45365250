#include "stages/speech_onset.h"

#include <algorithm>
#include <cmath>

#include "stages/speech_audio.h"

namespace storyreel {

namespace {

constexpr int kFrame = kSpeechSampleRate / 400;  ///< 2.5 ms
constexpr double kLookBack = 0.2, kFloorSpan = 0.4;
/// Sound is this many times the floor's level, and at least kQuietest (about -50 dBFS of
/// differenced signal): silence in a clean recording has no floor to compare with.
constexpr double kOverFloor = 3.0;
constexpr double kQuietest = 100.0;
/// Quiet frames a stretch of sound may contain (a stop's closure inside a word).
constexpr int kQuietInside = 2;

/// RMS of the sample-to-sample difference over frame `f`.
double level(const std::vector<std::int16_t>& samples, long f) {
    const long from = std::max(1L, f * kFrame);
    const long to = std::min<long>(static_cast<long>(samples.size()), (f + 1) * kFrame);
    double sum = 0;
    for (long i = from; i < to; ++i) {
        const double d = static_cast<double>(samples[i]) - samples[i - 1];
        sum += d * d;
    }
    return to > from ? std::sqrt(sum / static_cast<double>(to - from)) : 0.0;
}

long frame_at(double seconds) {
    return static_cast<long>(std::floor(seconds * kSpeechSampleRate / kFrame));
}

/// The level sound must reach near a line starting at `start`; nullopt too near the track's
/// start to measure the floor before it.
std::optional<double> sound_threshold(const std::vector<std::int16_t>& samples, double start) {
    const long floor_from = frame_at(start - kLookBack - kFloorSpan);
    if (floor_from < 0) return std::nullopt;
    std::vector<double> floor_levels;
    for (long f = floor_from; f < frame_at(start - kLookBack); ++f)
        floor_levels.push_back(level(samples, f));
    std::nth_element(floor_levels.begin(), floor_levels.begin() + floor_levels.size() / 2,
                     floor_levels.end());
    return std::max(kQuietest, kOverFloor * floor_levels[floor_levels.size() / 2]);
}

}  // namespace

std::optional<double> sound_onset_near(const std::vector<std::int16_t>& samples, double start,
                                       double until) {
    const long frames = static_cast<long>(samples.size()) / kFrame;
    const long at = frame_at(start), earliest = frame_at(start - kLookBack);
    const long latest = std::min(frames - 1, frame_at(until));
    const auto threshold = sound_threshold(samples, start);
    if (at < 0 || at >= frames || !threshold) return start;  // too near an end to judge
    long onset = at;
    while (onset <= latest && level(samples, onset) < *threshold) ++onset;
    if (onset > latest) return std::nullopt;
    for (bool extended = true; extended;) {
        extended = false;
        for (long back = 1; back <= kQuietInside + 1 && onset - back >= earliest; ++back) {
            if (level(samples, onset - back) >= *threshold) {
                onset -= back;
                extended = true;
                break;
            }
        }
    }
    if (onset <= earliest) return std::nullopt;
    return static_cast<double>(onset * kFrame) / kSpeechSampleRate;
}

}  // namespace storyreel
