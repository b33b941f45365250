#pragma once
// The dialogue track as speech recognisers want it: 16 kHz mono 16-bit.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace storyreel {

/// Sample rate of speech_samples() (PocketSphinx's en-us model is trained at 16 kHz).
inline constexpr int kSpeechSampleRate = 16000;

/// Decodes `file` (audio_decoder.h), mixes it to mono and resamples it with libswresample
/// to 16 kHz signed 16-bit. Throws BuildError naming the file when it cannot be decoded.
std::vector<std::int16_t> speech_samples(const std::filesystem::path& file);

}  // namespace storyreel
