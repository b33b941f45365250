#pragma once
// EBU R128 loudness of a stretch of the mixed cut, measured by libavfilter's `ebur128`
// filter (integrated loudness, true peak), and the gain that brings it to a target.

#include <cstdint>
#include <functional>

namespace storyreel {

struct LoudnessMeasurement {
    double integrated_lufs = -70.0;  ///< -70 (the absolute gate) for silence
    double true_peak_dbtp = -144.0;
};

/// Reads `count` interleaved 48 kHz stereo float sample frames through `read(start, n,
/// out)` (start counted from 0) and measures them. Throws BuildError on libav failures.
LoudnessMeasurement measure_loudness(std::int64_t count,
                                     const std::function<void(std::int64_t, int, float*)>& read);

/// The gain (dB) that brings `measured` to `target_lufs` without its true peak going
/// above `max_true_peak_dbtp`.
double normalisation_gain_db(const LoudnessMeasurement& measured, double target_lufs,
                             double max_true_peak_dbtp);

}  // namespace storyreel
