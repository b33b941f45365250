#include "stages/track_envelope.h"

#include <cmath>

namespace storyreel {

TrackEnvelope::TrackEnvelope(const AudioTrack& track, std::int64_t length)
    : gain_(static_cast<float>(std::pow(10.0, track.gain_db / 20.0))),
      fade_in_(track.fade_in_samples),
      fade_out_(track.fade_out_samples),
      length_(length) {}

float TrackEnvelope::at(std::int64_t index) const {
    float level = gain_;
    if (index < fade_in_) level *= static_cast<float>(index) / static_cast<float>(fade_in_);
    const std::int64_t to_end = length_ - 1 - index;
    if (fade_out_ > 0 && to_end < fade_out_)
        level *=
            static_cast<float>(std::max<std::int64_t>(0, to_end)) / static_cast<float>(fade_out_);
    return level;
}

bool track_is_heard(const AudioTrack& track, bool any_solo) {
    return !track.mute && (!any_solo || track.solo);
}

}  // namespace storyreel
