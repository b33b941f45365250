#include "stages/report_look_text.h"

#include <cstdio>

namespace storyreel {

std::string camera_move_text(const CameraMove& camera) {
    if (!camera.moves()) return {};
    const CameraKey& first = camera.keys.front();
    const CameraKey& last = camera.keys.back();
    std::string text;
    if (first.zoom != last.zoom || camera.keys.size() == 1) {
        char zoom[64];
        std::snprintf(zoom, sizeof zoom, "zoom %.2f -> %.2f",
                      camera.keys.size() == 1 ? 1.0 : first.zoom, last.zoom);
        text = zoom;
    }
    if (first.centre_x != last.centre_x || first.centre_y != last.centre_y)
        text += std::string(text.empty() ? "" : ", ") + "pan";
    if (first.rotate_degrees != last.rotate_degrees)
        text += std::string(text.empty() ? "" : ", ") + "rotate";
    return text.empty() ? "framed" : text;
}

std::string transition_text(const Transition& transition) {
    switch (transition.type) {
        case TransitionType::Dissolve:
            return "dissolve " + std::to_string(transition.frames) + " fr";
        case TransitionType::Fade:
            return "fade " + std::to_string(transition.frames) + " fr";
        case TransitionType::None:
            break;
    }
    return {};
}

}  // namespace storyreel
