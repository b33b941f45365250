#pragma once
// A small, fully specified random generator for the demo generator.
//
// std::uniform_int_distribution and friends differ between standard libraries, so a
// demo drawn on one machine would not match the same seed on another. SplitMix64 and the
// mappings below are defined here, bit for bit, so a seed means the same project
// everywhere.

#include <cstdint>

namespace storyreel::demo {

/// SplitMix64 (Steele, Lea, Flood 2014): tiny state, good statistics, no allocation.
class DemoRandom {
  public:
    explicit DemoRandom(std::uint64_t seed) : state_(seed) {}

    /// A generator for one item (a panel, a stream) derived from a project seed, so each
    /// item can be produced on its own, in any order, and still be deterministic.
    static DemoRandom for_item(std::uint64_t seed, std::uint64_t item, std::uint64_t stream = 0) {
        DemoRandom mixer(seed ^ (item * 0xD1B54A32D192ED03ull) ^ (stream * 0x8CB92BA72F3D8DD7ull));
        return DemoRandom(mixer.next());
    }

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

    /// Uniform integer in [low, high] (inclusive). The modulo bias is below 2^-40 for the
    /// small ranges used here, which is irrelevant for drawings and hold lengths.
    int between(int low, int high) {
        if (high <= low) return low;
        const auto span = static_cast<std::uint64_t>(high - low) + 1;
        return low + static_cast<int>(next() % span);
    }

    /// Uniform float in [0, 1).
    float unit() { return static_cast<float>(next() >> 40) / static_cast<float>(1ull << 24); }

    /// Uniform float in [low, high).
    float between(float low, float high) { return low + (high - low) * unit(); }

    /// True with probability `chance` (0..1).
    bool chance(float probability) { return unit() < probability; }

  private:
    std::uint64_t state_;
};

}  // namespace storyreel::demo
