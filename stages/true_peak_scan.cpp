#include "stages/true_peak_scan.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "stages/loudness.h"

namespace storyreel {

namespace {

constexpr int kBlockFrames = 4800;  // 100 ms at 48 kHz
constexpr double kRate = 48000.0;

double to_db(double linear) { return linear > 0 ? 20.0 * std::log10(linear) : -144.0; }

}  // namespace

PeakScan scan_true_peak(std::int64_t count,
                        const std::function<void(std::int64_t, int, float*)>& read) {
    PeakScan scan;
    const double loud = std::pow(10.0, kTruePeakScanLoudDbfs / 20.0);
    const std::int64_t blocks = (count + kBlockFrames - 1) / kBlockFrames;
    std::vector<bool> is_loud(static_cast<std::size_t>(blocks), false);
    std::vector<float> samples(2 * kBlockFrames);
    double sample_peak = 0;
    for (std::int64_t block = 0; block < blocks; ++block) {
        const std::int64_t start = block * kBlockFrames;
        const int n = static_cast<int>(std::min<std::int64_t>(kBlockFrames, count - start));
        read(start, n, samples.data());
        float peak = 0;
        for (int i = 0; i < 2 * n; ++i) peak = std::max(peak, std::fabs(samples[i]));
        sample_peak = std::max(sample_peak, static_cast<double>(peak));
        is_loud[static_cast<std::size_t>(block)] = peak > loud;
    }
    scan.sample_peak_dbfs = to_db(sample_peak);
    scan.true_peak_dbtp = scan.sample_peak_dbfs;
    // Each run of loud blocks is metered with one block of context on either side: the
    // oversampling filter's reach is a few samples, and the context blocks are quiet, so
    // starting the meter there cannot ring up to a false peak near the floor.
    for (std::int64_t block = 0; block < blocks;) {
        if (!is_loud[static_cast<std::size_t>(block)]) {
            ++block;
            continue;
        }
        std::int64_t end = block;
        while (end < blocks && is_loud[static_cast<std::size_t>(end)]) ++end;
        const std::int64_t first = std::max<std::int64_t>(0, block - 1) * kBlockFrames;
        const std::int64_t last = std::min<std::int64_t>(count, (end + 1) * kBlockFrames);
        const LoudnessMeasurement run = measure_loudness(
            last - first,
            [&](std::int64_t start, int n, float* out) { read(first + start, n, out); });
        scan.true_peak_dbtp = std::max(scan.true_peak_dbtp, run.true_peak_dbtp);
        scan.measured_seconds += static_cast<double>(last - first) / kRate;
        block = end;
    }
    return scan;
}

}  // namespace storyreel
