#pragma once
// A panel's look in the cut: its camera move and the transition into it (project YAML).
//
// Both are editorial content like timing, so every output shows them. Coordinates are
// those of the panel as conformed to the show resolution: normalised (0..1 across the
// frame) or its pixels.

#include <cstdint>
#include <string>
#include <vector>

namespace storyreel {

enum class Easing { Linear, In, Out, InOut };

/// Framing of the panel at one frame of its hold.
struct CameraKey {
    std::int64_t frame = 0;                 ///< from the panel's first frame
    double centre_x = 0.5, centre_y = 0.5;  ///< normalised (converted from pixels on load)
    double zoom = 1.0;                      ///< 2.0 shows half the width
    double rotate_degrees = 0.0;            ///< clockwise
};

/// Pan / zoom / rotate keyframes; empty `keys` means a held still.
struct CameraMove {
    std::vector<CameraKey> keys;  ///< sorted by frame
    Easing easing = Easing::Linear;

    bool moves() const { return keys.size() > 1 || (keys.size() == 1 && !is_identity(keys[0])); }
    /// The framing at `frame`, interpolated between keys (held before the first and after
    /// the last).
    CameraKey at(std::int64_t frame) const;
    /// Canonical text of everything that changes pixels (enters cache keys).
    std::string fingerprint() const;
    static bool is_identity(const CameraKey& key);
};

enum class TransitionType { None, Dissolve, Fade };

/// How the cut into a panel is made: a cross-fade from the previous panel, or a dip
/// through black (fade out and in). `frames_before_cut` of the N frames fall at the end
/// of the previous panel, the rest at the start of this one.
struct Transition {
    TransitionType type = TransitionType::None;
    std::int64_t frames = 0;
    std::int64_t frames_before_cut = 0;  ///< N/2 when centred (the default)

    std::int64_t frames_after_cut() const { return frames - frames_before_cut; }
    std::string fingerprint() const;
};

struct PanelLook {
    CameraMove camera;
    Transition transition;      ///< into this panel
    std::int64_t fade_out = 0;  ///< frames fading to black at the panel's end
};

}  // namespace storyreel
