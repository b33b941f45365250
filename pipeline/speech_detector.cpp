#include "pipeline/speech_detector.h"

#include <cmath>

namespace storyreel {

namespace {

double mean_square_of_db(double db) { return std::pow(10.0, db / 10.0); }

std::int64_t samples_of(double seconds, int rate) {
    return static_cast<std::int64_t>(std::llround(seconds * rate));
}

}  // namespace

SpeechDetector::SpeechDetector(const SpeechDetectionSettings& settings, int sample_rate)
    : settings_(settings), sample_rate_(sample_rate) {
    window_ = std::max<std::int64_t>(1, samples_of(settings.window_seconds, sample_rate));
    min_silence_ = samples_of(settings.min_silence_seconds, sample_rate);
    min_speech_ = samples_of(settings.min_speech_seconds, sample_rate);
    on_level_ = mean_square_of_db(settings.threshold_db);
    off_level_ = mean_square_of_db(settings.threshold_db - settings.hysteresis_db);
}

void SpeechDetector::feed(const float* mono, std::int64_t count) {
    for (std::int64_t i = 0; i < count; ++i) {
        window_energy_ += static_cast<double>(mono[i]) * mono[i];
        ++position_;
        if (++window_fill_ == window_) close_window();
    }
}

void SpeechDetector::close_window() {
    const double level = window_energy_ / static_cast<double>(window_fill_);
    const std::int64_t window_start = position_ - window_fill_;
    window_energy_ = 0;
    window_fill_ = 0;
    if (!in_line_) {
        if (level >= on_level_) {
            in_line_ = true;
            line_start_ = window_start;
            quiet_since_ = -1;
        }
        return;
    }
    if (level >= off_level_) {
        quiet_since_ = -1;
        return;
    }
    if (quiet_since_ < 0) quiet_since_ = window_start;
    if (position_ - quiet_since_ >= min_silence_) end_line(quiet_since_);
}

void SpeechDetector::end_line(std::int64_t end_sample) {
    if (end_sample - line_start_ >= min_speech_)
        lines_.push_back({static_cast<double>(line_start_) / sample_rate_,
                          static_cast<double>(end_sample) / sample_rate_});
    in_line_ = false;
    quiet_since_ = -1;
}

std::vector<SpeechSpan> SpeechDetector::finish() {
    if (window_fill_ > 0) close_window();
    if (in_line_) end_line(quiet_since_ >= 0 ? quiet_since_ : position_);
    return lines_;
}

}  // namespace storyreel
