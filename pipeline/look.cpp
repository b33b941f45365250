#include "pipeline/look.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace storyreel {

namespace {

double eased(double t, Easing easing) {
    switch (easing) {
        case Easing::Linear:
            return t;
        case Easing::In:
            return t * t;
        case Easing::Out:
            return 1.0 - (1.0 - t) * (1.0 - t);
        case Easing::InOut:
            return t * t * (3.0 - 2.0 * t);
    }
    return t;
}

std::string number_text(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", value);
    return buffer;
}

}  // namespace

bool CameraMove::is_identity(const CameraKey& key) {
    return key.centre_x == 0.5 && key.centre_y == 0.5 && key.zoom == 1.0 &&
           key.rotate_degrees == 0.0;
}

CameraKey CameraMove::at(std::int64_t frame) const {
    if (keys.empty()) return CameraKey{frame};
    if (frame <= keys.front().frame)
        return CameraKey{frame, keys.front().centre_x, keys.front().centre_y, keys.front().zoom,
                         keys.front().rotate_degrees};
    if (frame >= keys.back().frame)
        return CameraKey{frame, keys.back().centre_x, keys.back().centre_y, keys.back().zoom,
                         keys.back().rotate_degrees};
    auto next =
        std::upper_bound(keys.begin(), keys.end(), frame,
                         [](std::int64_t f, const CameraKey& key) { return f < key.frame; });
    const CameraKey& b = *next;
    const CameraKey& a = *(next - 1);
    const double t = eased(
        static_cast<double>(frame - a.frame) / static_cast<double>(b.frame - a.frame), easing);
    CameraKey key;
    key.frame = frame;
    key.centre_x = a.centre_x + (b.centre_x - a.centre_x) * t;
    key.centre_y = a.centre_y + (b.centre_y - a.centre_y) * t;
    // Zoom interpolates geometrically: equal steps look equally fast.
    key.zoom = a.zoom * std::pow(b.zoom / a.zoom, t);
    key.rotate_degrees = a.rotate_degrees + (b.rotate_degrees - a.rotate_degrees) * t;
    return key;
}

std::string CameraMove::fingerprint() const {
    if (!moves()) return {};
    static const char* names[] = {"linear", "in", "out", "in_out"};
    std::string text = std::string("camera ease=") + names[static_cast<int>(easing)];
    for (const auto& key : keys)
        text += " [" + std::to_string(key.frame) + " " + number_text(key.centre_x) + "," +
                number_text(key.centre_y) + " z" + number_text(key.zoom) + " r" +
                number_text(key.rotate_degrees) + "]";
    return text;
}

std::string Transition::fingerprint() const {
    if (type == TransitionType::None) return {};
    return std::string(type == TransitionType::Dissolve ? "dissolve " : "fade ") +
           std::to_string(frames) + "/" + std::to_string(frames_before_cut);
}

}  // namespace storyreel
