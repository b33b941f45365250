#pragma once
// The true peak of a stretch of the mixed cut for the production checks' clipping test,
// when no loudness normalisation measured it: libav's ebur128 true-peak meter (ITU-R
// BS.1770, 4x oversampled) run only over the loud stretches, so a quiet two-hour mix costs
// one pass of sample comparisons instead of a full oversampling meter.

#include <cstdint>
#include <functional>

namespace storyreel {

struct PeakScan {
    double sample_peak_dbfs = -144.0;  ///< the highest sample, exactly
    /// The highest true peak of the stretches measured; the sample peak when none was
    /// loud enough to need measuring (then the true peak is below kTruePeakScanFloorDbtp).
    double true_peak_dbtp = -144.0;
    double measured_seconds = 0;  ///< how much of the audio the oversampling meter read
};

/// Stretches whose samples stay below this (dBFS) are not oversampled. A true peak exceeds
/// the sample peak by at most ~3 dB in real audio (a quarter-sample-rate tone sampled 45°
/// off its crests); with a 6 dB margin, every true peak above kTruePeakScanFloorDbtp is
/// measured, which covers every clipping limit from -3 dBTP up.
constexpr double kTruePeakScanLoudDbfs = -9.0;
constexpr double kTruePeakScanFloorDbtp = kTruePeakScanLoudDbfs + 6.0;

/// Scans `count` interleaved 48 kHz stereo float frames read through `read(start, n, out)`.
/// Throws BuildError on libav failures.
PeakScan scan_true_peak(std::int64_t count,
                        const std::function<void(std::int64_t, int, float*)>& read);

}  // namespace storyreel
