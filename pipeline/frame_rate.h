#pragma once
// Exact frame rates and exact durations. Never floats: 23.976 is 24000/1001.

#include <cstdint>
#include <optional>
#include <string>

namespace storyreel {

/// A non-negative exact rational number (used for seconds).
struct Rational {
    std::int64_t num = 0;
    std::int64_t den = 1;

    /// Parses "2", "2.5", "-1.25", "5/2". Returns nullopt on anything else.
    static std::optional<Rational> parse(const std::string& text);
    Rational reduced() const;
};

/// A video frame rate as an exact rational (frames per second = num/den).
struct FrameRate {
    std::int64_t num = 24;
    std::int64_t den = 1;

    /// Accepts the editorial rates by name ("23.976", "24", "25", "29.97", "30", also
    /// "47.952", "48", "50", "59.94", "60") or an explicit "num/den". nullopt otherwise.
    static std::optional<FrameRate> parse(const std::string& text);

    /// True for the NTSC rates (x/1001).
    bool is_ntsc() const { return den == 1001; }
    /// Nominal integer frames per second used by timecode (24 for 23.976, 30 for 29.97).
    int timecode_base() const;
    /// The rate as written in reports: "23.976", "24", "29.97".
    std::string to_string() const;
    double as_double() const { return static_cast<double>(num) / static_cast<double>(den); }

    /// Frame index at which an instant `seconds` after the start falls, rounded to the
    /// nearest frame (halves up). Exact: cumulative conversions never drift.
    std::int64_t frames_at(Rational seconds) const;
    /// Audio sample index of the start of frame `frame` at `sample_rate` (exact, floor).
    std::int64_t sample_at_frame(std::int64_t frame, int sample_rate) const;

    bool operator==(const FrameRate& other) const { return num * other.den == other.num * den; }
};

}  // namespace storyreel
