#pragma once
// The AudioAnalyzer timing uses, answered by decoding with libav (audio_decoder.h).

#include <map>

#include "pipeline/audio_analyzer.h"

namespace storyreel {

/// Decodes each file once per question and remembers lengths (one build, one thread).
class LibavAudioAnalyzer : public AudioAnalyzer {
  public:
    std::int64_t sample_count(const std::filesystem::path& file) override;
    /// From the container's stream (or format) duration; decodes only when it has none.
    double duration_seconds(const std::filesystem::path& file) override;
    std::vector<SpeechSpan> detect_speech(const std::filesystem::path& file,
                                          const SpeechDetectionSettings& settings) override;
    /// PocketSphinx (speech_aligner.h) on the track decoded to 16 kHz mono.
    std::vector<LineAlignment> align_lines(const std::filesystem::path& file,
                                           const std::vector<std::string>& lines,
                                           const WordsTimingSettings& settings,
                                           SpeechSpan range) override;

  private:
    std::map<std::filesystem::path, std::int64_t> lengths_;
};

}  // namespace storyreel
