#pragma once
// Finds lines of speech in a (mono) signal: short-term energy with hysteresis.
//
// A line starts where the windowed RMS level rises to the threshold, and ends where it
// has stayed below threshold - hysteresis for at least the minimum silence; lines shorter
// than the minimum speech length are dropped. Fed in order, in any block sizes.

#include <cstdint>
#include <vector>

#include "pipeline/timing_spec.h"

namespace storyreel {

class SpeechDetector {
  public:
    SpeechDetector(const SpeechDetectionSettings& settings, int sample_rate);

    /// Feeds the next `count` samples.
    void feed(const float* mono, std::int64_t count);
    /// Ends the signal (closing a line still open) and returns every line found.
    std::vector<SpeechSpan> finish();

  private:
    void close_window();
    void end_line(std::int64_t end_sample);

    SpeechDetectionSettings settings_;
    int sample_rate_;
    std::int64_t window_ = 480;
    std::int64_t min_silence_ = 0, min_speech_ = 0;
    double on_level_ = 0, off_level_ = 0;  ///< mean-square thresholds

    std::int64_t position_ = 0;  ///< samples fed so far
    std::int64_t window_fill_ = 0;
    double window_energy_ = 0;
    bool in_line_ = false;
    std::int64_t line_start_ = 0;
    std::int64_t quiet_since_ = -1;  ///< first sample of the current quiet stretch in a line
    std::vector<SpeechSpan> lines_;
};

}  // namespace storyreel
