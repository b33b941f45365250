#pragma once
// The level of one temp track over its own samples: gain in dB, linear fade-in from the
// file's first sample and fade-out to its last.

#include <cstdint>

#include "pipeline/project.h"

namespace storyreel {

class TrackEnvelope {
  public:
    /// `length` is the decoded file's length in samples (only needed with a fade-out).
    TrackEnvelope(const AudioTrack& track, std::int64_t length);

    /// Linear gain at sample `index` of the file (0 = its first sample).
    float at(std::int64_t index) const;
    bool needs_length() const { return fade_out_ > 0; }

  private:
    float gain_;
    std::int64_t fade_in_, fade_out_, length_;
};

/// Whether a track is heard: not muted, and solo when any track of the mix is solo.
bool track_is_heard(const AudioTrack& track, bool any_solo);

}  // namespace storyreel
