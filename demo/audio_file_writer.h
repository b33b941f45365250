#pragma once
// Streaming writers for 16-bit PCM audio files (the demo's temp track).
//
// A writer is opened, fed interleaved blocks in order, and completed with finish().
// Destructors only release resources: a writer destroyed without finish() leaves an
// incomplete file behind. Failures throw std::runtime_error naming the file and the
// operation that failed.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

namespace storyreel::demo {

class AudioFileWriter {
  public:
    virtual ~AudioFileWriter() = default;

    /// Appends interleaved samples (a whole number of sample frames).
    virtual void write(std::span<const std::int16_t> interleaved) = 0;
    /// Completes the file: flushes encoders, writes trailers and final sizes.
    virtual void finish() = 0;
};

/// A canonical RIFF/WAVE file, 16-bit little-endian PCM.
std::unique_ptr<AudioFileWriter> open_wav_writer(const std::filesystem::path& file, int sample_rate,
                                                 int channels);

/// A FLAC file encoded with libavcodec's "flac" encoder and written by libavformat.
std::unique_ptr<AudioFileWriter> open_flac_writer(const std::filesystem::path& file,
                                                  int sample_rate, int channels);

}  // namespace storyreel::demo
