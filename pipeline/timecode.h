#pragma once
// SMPTE timecode <-> frame numbers, with drop-frame for 29.97 and 59.94.

#include <cstdint>
#include <optional>
#include <string>

#include "pipeline/frame_rate.h"

namespace storyreel {

/// A timecode is a frame count since 00:00:00:00 at a frame rate. Drop-frame applies
/// to 29.97/59.94 when asked for (written with ';' before the frames).
class Timecode {
  public:
    Timecode() = default;
    Timecode(std::int64_t frames, FrameRate rate, bool drop_frame)
        : frames_(frames), rate_(rate), drop_frame_(drop_frame && supports_drop_frame(rate)) {}

    /// Parses "HH:MM:SS:FF" (or "HH:MM:SS;FF" for drop-frame). nullopt when malformed or
    /// when a field is out of range for the rate.
    static std::optional<Timecode> parse(const std::string& text, FrameRate rate);
    static bool supports_drop_frame(FrameRate rate) {
        return rate.den == 1001 && (rate.num == 30000 || rate.num == 60000);
    }

    std::int64_t frames() const { return frames_; }
    FrameRate rate() const { return rate_; }
    bool drop_frame() const { return drop_frame_; }
    Timecode plus(std::int64_t frames) const { return {frames_ + frames, rate_, drop_frame_}; }
    /// Frames from 00:00:00:00 to 24:00:00:00 at this rate and counting: the clock's
    /// length. A timecode at or past it is written modulo 24 h (it wraps to 00:00).
    std::int64_t frames_per_day() const;

    std::string to_string() const;

  private:
    std::int64_t frames_ = 0;
    FrameRate rate_{};
    bool drop_frame_ = false;
};

}  // namespace storyreel
