#pragma once
// The synthetic temp track: near-silence with a tone burst at the start of every panel,
// rendered block by block so an hour-long track never sits in memory.

#include <cstdint>
#include <span>
#include <vector>

namespace storyreel::demo {

/// One marker tone: a cosine starting at full amplitude on `first_sample`, so the onset
/// is a step that can be located to the sample.
struct ToneBurst {
    std::int64_t first_sample = 0;
    double frequency_hz = 1000.0;
};

/// What the temp track contains.
struct ToneTrackDesign {
    std::int64_t total_samples = 0;  ///< per channel
    int channels = 2;
    int sample_rate = 48000;
    std::vector<ToneBurst> bursts;    ///< sorted by first_sample
    double burst_seconds = 0.040;     ///< cut short by the next burst if that starts earlier
    float burst_amplitude = 0.5f;     ///< peak, full scale = 1
    float noise_amplitude = 0.0001f;  ///< background hiss, about -80 dBFS (a few LSB)
    std::uint64_t noise_seed = 1;
};

/// The marker frequency of the `panel_index`-th panel: 1000, 1100, ... 1400 Hz, repeating,
/// so neighbouring bursts can be told apart.
double tone_burst_frequency(int panel_index);

/// Renders the track in order, one block at a time. Output is 16-bit signed PCM,
/// interleaved; the result does not depend on the block sizes used.
class ToneTrackRenderer {
  public:
    explicit ToneTrackRenderer(ToneTrackDesign design);

    /// Sample frames (per channel) still to render.
    std::int64_t remaining() const { return design_.total_samples - next_sample_; }

    /// Renders the next min(remaining(), interleaved.size() / channels) sample frames into
    /// `interleaved` and returns how many sample frames were written.
    std::int64_t render(std::span<std::int16_t> interleaved);

  private:
    float burst_value(std::int64_t sample);
    float noise_value(std::int64_t sample, int channel) const;

    ToneTrackDesign design_;
    std::int64_t burst_length_ = 0;  ///< samples
    std::int64_t fade_length_ = 0;   ///< samples of fade-out at a burst's natural end
    std::int64_t next_sample_ = 0;
    std::size_t active_burst_ = 0;  ///< index of the last burst starting at or before now
};

}  // namespace storyreel::demo
