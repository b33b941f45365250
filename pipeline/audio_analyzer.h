#pragma once
// What timing needs to know about audio files, behind an interface: the engine knows
// nothing of codecs, stages/audio_analysis.h answers with libav.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/timing_spec.h"

namespace storyreel {

class AudioAnalyzer {
  public:
    virtual ~AudioAnalyzer() = default;
    /// Length of the decoded file in 48 kHz sample frames. Throws BuildError naming the
    /// file when it cannot be decoded.
    virtual std::int64_t sample_count(const std::filesystem::path& file) = 0;
    /// Length in seconds as the file's header states it, without decoding where the format
    /// allows (the production checks; a 100-minute temp track is not decoded to be
    /// measured). Default: sample_count() at 48 kHz.
    virtual double duration_seconds(const std::filesystem::path& file) {
        return static_cast<double>(sample_count(file)) / 48000.0;
    }
    /// Lines of speech in the file (its channels mixed to mono), in the file's own seconds.
    /// Throws BuildError naming the file when it cannot be decoded.
    virtual std::vector<SpeechSpan> detect_speech(const std::filesystem::path& file,
                                                  const SpeechDetectionSettings& settings) = 0;
    /// Finds each of `lines` (the expected dialogue, in order) in the file by speech
    /// recognition, searching only `range` (the sequence's part of the track, in the file's
    /// seconds; times returned are the file's too). Returns one entry per line, Aligned or
    /// NotFound (the engine places the rest, words_fallback.h).
    /// Throws BuildError naming the file or model when it cannot run. Default: no
    /// recogniser here.
    virtual std::vector<LineAlignment> align_lines(const std::filesystem::path& file,
                                                   const std::vector<std::string>& lines,
                                                   const WordsTimingSettings& settings,
                                                   SpeechSpan range);
};

}  // namespace storyreel
