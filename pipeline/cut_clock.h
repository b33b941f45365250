#pragma once
// A running position in the cut that converts holds given in frames or milliseconds to
// whole frames without drift: each panel ends where the exact running total says.

#include <cstdint>

#include "pipeline/frame_rate.h"

namespace storyreel {

/// Positions are counted in ticks of 1/(1000 * rate.num) s, so that whole frames
/// (1000 * rate.den ticks) and milliseconds (rate.num ticks) are both exact.
struct CutClock {
    FrameRate rate;
    std::int64_t ticks = 0;

    /// The frame the clock is at, rounded to the nearest frame (halves up).
    std::int64_t frame() const {
        const std::int64_t per_frame = 1000 * rate.den;
        return (2 * ticks + per_frame) / (2 * per_frame);
    }
    void advance_frames(std::int64_t frames) { ticks += frames * 1000 * rate.den; }
    void advance_milliseconds(std::int64_t ms) { ticks += ms * rate.num; }
};

}  // namespace storyreel
