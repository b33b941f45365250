#pragma once
// Exact frame-rate arithmetic for the demo generator.
//
// The demo keeps its own tiny copy of this arithmetic on purpose: its projects are test
// fixtures for the pipeline, so they must not share the pipeline's code paths (a bug
// there would otherwise be mirrored in the fixtures and go unnoticed).

#include <cstdint>
#include <string>

namespace storyreel::demo {

/// Sample rate of the temp track (the pipeline's audio rate).
inline constexpr int kDemoSampleRate = 48000;

/// A frame rate as an exact fraction: frames per second = num / den.
struct DemoFrameRate {
    std::int64_t num = 24;
    std::int64_t den = 1;

    /// Parses the spelling written into project.yaml: the NTSC rates "23.976", "29.97",
    /// "47.952", "59.94" (x/1001), whole numbers ("24", "25"), or "num/den".
    /// Throws std::invalid_argument naming the text otherwise.
    static DemoFrameRate parse(const std::string& text);

    /// First audio sample of frame `frame`: floor(frame * sample_rate * den / num).
    std::int64_t sample_at_frame(std::int64_t frame, int sample_rate = kDemoSampleRate) const {
        return frame * sample_rate * den / num;
    }
};

}  // namespace storyreel::demo
