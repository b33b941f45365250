#pragma once
// Decodes any audio file libav reads to 48 kHz stereo float, streaming.

#include <filesystem>
#include <functional>

namespace storyreel {

/// Receives interleaved stereo float samples, `count` sample frames at a time.
using AudioChunkSink = std::function<void(const float* interleaved, int count)>;

/// Decodes the first audio stream of `file`, resampled (libswresample) to 48 kHz stereo,
/// from its first sample to its last. Throws BuildError naming the file on any failure.
void decode_audio_file(const std::filesystem::path& file, const AudioChunkSink& sink);

}  // namespace storyreel
