// Given a recognised line start near (or not near) where sound begins, the onset search
// should move the start to the sound, and refuse a start in silence or inside other sound.

#include "stages/speech_onset.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "stages/speech_audio.h"

namespace storyreel {
namespace {

/// `seconds` of 16 kHz audio, silent but for a 1 kHz tone over [from, to) at `level`, and a
/// 200 Hz hum at `hum` everywhere.
std::vector<std::int16_t> track(double seconds, double from, double to, double level = 8000,
                                double hum = 0) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(seconds * kSpeechSampleRate));
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const double t = static_cast<double>(i) / kSpeechSampleRate;
        double value = hum * std::sin(2 * std::numbers::pi * 200 * t);
        if (t >= from && t < to) value += level * std::sin(2 * std::numbers::pi * 1000 * t);
        samples[i] = static_cast<std::int16_t>(value);
    }
    return samples;
}

TEST(SpeechOnset, GivenAStartLateInTheSoundItMovesBackToWhereTheSoundBegins) {
    const auto onset = sound_onset_near(track(3, 1.0, 2.0), 1.09, 1.3);
    ASSERT_TRUE(onset);
    EXPECT_NEAR(*onset, 1.0, 0.003);
}

TEST(SpeechOnset, GivenAStartJustBeforeTheSoundItMovesForwardToIt) {
    const auto onset = sound_onset_near(track(3, 1.0, 2.0), 0.96, 1.2);
    ASSERT_TRUE(onset);
    EXPECT_NEAR(*onset, 1.0, 0.003);
}

TEST(SpeechOnset, GivenAHumAsLoudAsTheLineUnderItTheOnsetIsStillTheLines) {
    const auto onset = sound_onset_near(track(3, 1.0, 2.0, 3000, 3000), 1.05, 1.3);
    ASSERT_TRUE(onset);
    EXPECT_NEAR(*onset, 1.0, 0.003);
}

TEST(SpeechOnset, GivenAFirstWordAllInSilenceOrInsideEarlierSoundThereIsNoOnset) {
    EXPECT_FALSE(sound_onset_near(track(3, 1.0, 2.0), 2.2, 2.4));
    EXPECT_FALSE(sound_onset_near(track(3, 1.0, 2.0), 1.6, 1.8));
}

}  // namespace
}  // namespace storyreel
