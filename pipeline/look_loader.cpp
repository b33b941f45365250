#include "pipeline/look_loader.h"

#include <algorithm>
#include <limits>

namespace storyreel {

void read_panel_look_keys(YamlFields& fields, const ShowSettings& show, Panel& panel);

namespace {

std::optional<Easing> easing_named(const std::string& name) {
    if (name == "linear") return Easing::Linear;
    if (name == "in" || name == "ease_in") return Easing::In;
    if (name == "out" || name == "ease_out") return Easing::Out;
    if (name == "in_out" || name == "ease" || name == "ease_in_out") return Easing::InOut;
    return std::nullopt;
}

/// One keyframe; `pixels` when the centre is given in the conformed panel's pixels.
std::optional<CameraKey> read_camera_key(const YAML::Node& node, YamlFields& parent,
                                         const ShowSettings& show, bool pixels,
                                         std::int64_t panel_frames) {
    YamlFields fields(node, parent.file(), parent.subject() + " camera key", parent.diagnostics());
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"frame", "centre", "center", "zoom", "rotate"});
    const std::size_t before = fields.diagnostics().size();
    CameraKey key;
    if (auto frame = fields.integer("frame", true)) key.frame = *frame;
    if (key.frame < 0 || key.frame >= panel_frames)
        fields.problem("frame",
                       "keyframe at frame " + std::to_string(key.frame) +
                           " is outside the panel (frames 0.." + std::to_string(panel_frames - 1) +
                           ")",
                       "key frames count from the panel's first frame");
    const char* centre_key = fields.has("center") ? "center" : "centre";
    if (fields.has(centre_key)) {
        const YAML::Node centre = fields.node(centre_key);
        const bool pair = centre.IsSequence() && centre.size() == 2;
        const auto x = pair ? scalar_number(centre[0], -1e9, 1e9) : std::nullopt;
        const auto y = pair ? scalar_number(centre[1], -1e9, 1e9) : std::nullopt;
        if (x && y) {
            key.centre_x = *x;
            key.centre_y = *y;
        } else {
            fields.problem(centre_key, "expected [x, y], two finite numbers");
        }
        if (pixels) {
            key.centre_x /= show.width;
            key.centre_y /= show.height;
        }
        if (key.centre_x < 0 || key.centre_x > 1 || key.centre_y < 0 || key.centre_y > 1)
            fields.problem(centre_key, "keyframe centre is outside the panel",
                           pixels ? "use pixels of the panel at the show resolution (0.." +
                                        std::to_string(show.width) + ", 0.." +
                                        std::to_string(show.height) + ")"
                                  : "use normalised coordinates between 0 and 1");
    }
    if (auto zoom = fields.number("zoom")) key.zoom = *zoom;
    if (!(key.zoom >= 0.05 && key.zoom <= 100))
        fields.problem("zoom", "zoom must be between 0.05 and 100", "1.0 shows the whole panel");
    if (auto rotate = fields.number("rotate")) key.rotate_degrees = *rotate;
    if (fields.diagnostics().size() != before) return std::nullopt;
    return key;
}

void read_camera(YamlFields& panel_fields, const ShowSettings& show, Panel& panel) {
    YamlFields fields(panel_fields.node("camera"), panel_fields.file(), panel_fields.subject(),
                      panel_fields.diagnostics());
    if (!fields.is_map()) return;
    fields.allow_only({"keys", "ease", "units"});
    CameraMove& move = panel.look.camera;
    if (auto ease = fields.string("ease")) {
        if (auto easing = easing_named(*ease))
            move.easing = *easing;
        else
            fields.problem("ease", "unknown easing '" + *ease + "'",
                           "use linear, in, out or in_out");
    }
    bool pixels = false;
    if (auto units = fields.string("units")) {
        pixels = *units == "pixels";
        if (!pixels && *units != "normalised" && *units != "normalized")
            fields.problem("units", "unknown units '" + *units + "'", "use normalised or pixels");
    }
    const YAML::Node keys = fields.node("keys");
    if (!keys.IsSequence() || keys.size() == 0) {
        fields.problem("keys", "expected a non-empty list of keyframes",
                       "e.g. keys: [{frame: 0, zoom: 1}, {frame: 47, zoom: 2}]");
        return;
    }
    for (const auto& node : keys)
        if (auto key = read_camera_key(node, fields, show, pixels, panel.frames))
            move.keys.push_back(*key);
    std::sort(move.keys.begin(), move.keys.end(),
              [](const CameraKey& a, const CameraKey& b) { return a.frame < b.frame; });
    for (std::size_t i = 1; i < move.keys.size(); ++i)
        if (move.keys[i].frame == move.keys[i - 1].frame)
            fields.problem("keys", "two keyframes at frame " + std::to_string(move.keys[i].frame));
}

void read_transition(YamlFields& panel_fields, Panel& panel) {
    YamlFields fields(panel_fields.node("transition"), panel_fields.file(), panel_fields.subject(),
                      panel_fields.diagnostics());
    if (!fields.is_map()) return;
    fields.allow_only({"type", "frames", "align"});
    Transition& transition = panel.look.transition;
    if (auto type = fields.string("type", true)) {
        if (*type == "dissolve")
            transition.type = TransitionType::Dissolve;
        else if (*type == "fade" || *type == "dip_to_black")
            transition.type = TransitionType::Fade;
        else
            fields.problem("type", "unknown transition '" + *type + "'", "use dissolve or fade");
    }
    if (auto frames = fields.integer("frames", true)) {
        transition.frames = *frames;
        if (*frames < 1) fields.problem("frames", "a transition needs at least 1 frame");
    }
    std::string align = "centre";
    if (auto text = fields.string("align")) align = *text;
    if (align == "centre" || align == "center")
        transition.frames_before_cut = transition.frames / 2;
    else if (align == "start")
        transition.frames_before_cut = 0;
    else if (align == "end")
        transition.frames_before_cut = transition.frames;
    else
        fields.problem("align", "unknown alignment '" + align + "'",
                       "use centre (on the cut), start (starts at the cut) or end (ends at it)");
}

}  // namespace

void read_panel_look(YamlFields& fields, const ShowSettings& show, Panel& panel) {
    // In a timed sequence the hold is fitted later: keys are then checked against no end.
    const std::int64_t saved = panel.frames;
    if (panel.frames <= 0) panel.frames = std::numeric_limits<std::int64_t>::max();
    read_panel_look_keys(fields, show, panel);
    panel.frames = saved;
}

void read_panel_look_keys(YamlFields& fields, const ShowSettings& show, Panel& panel) {
    if (fields.has("camera")) read_camera(fields, show, panel);
    if (fields.has("transition")) read_transition(fields, panel);
    if (auto frames = fields.integer("fade_out")) {
        panel.look.fade_out = *frames;
        if (*frames < 0) fields.problem("fade_out", "fade_out must be 0 or more frames");
    }
}

namespace {

struct PanelInCut {
    const Panel* panel;
    std::string name;
};

void check_transition(const PanelInCut* previous, const PanelInCut& current,
                      Diagnostics& diagnostics) {
    const Transition& transition = current.panel->look.transition;
    if (transition.type == TransitionType::None) return;
    if (current.panel->frames <= 0 || (previous && previous->panel->frames <= 0))
        return;  // fitted later
    const std::string subject = "panel " + current.name;
    if (!previous) {
        if (transition.type == TransitionType::Dissolve)
            diagnostics.add(current.panel->where, subject,
                            "dissolve into the first panel of the cut",
                            "there is nothing to dissolve from: use a fade (from black)");
        return;
    }
    const std::int64_t shorter = std::min(previous->panel->frames, current.panel->frames);
    if (transition.frames > shorter)
        diagnostics.add(current.panel->where, subject,
                        "transition of " + std::to_string(transition.frames) +
                            " frames is longer than the shorter neighbour (" + previous->name +
                            " " + std::to_string(previous->panel->frames) + ", " + current.name +
                            " " + std::to_string(current.panel->frames) + " frames)",
                        "shorten the transition to at most " + std::to_string(shorter) + " frames");
}

/// The frames of a panel its own look takes: transition in, the next one's out, fade out.
void check_budget(const PanelInCut& current, const PanelInCut* next, Diagnostics& diagnostics) {
    const PanelLook& look = current.panel->look;
    if (current.panel->frames <= 0) return;  // a timed hold, fitted later
    if (look.fade_out > 0 && next && next->panel->look.transition.frames_before_cut > 0)
        diagnostics.add(
            current.panel->where, "panel " + current.name,
            "it fades out, but the transition into " + next->name + " starts before the cut",
            "drop the fade_out or align the next transition to start at the cut (align: start)");
    const std::int64_t used =
        (look.transition.type == TransitionType::None ? 0 : look.transition.frames_after_cut()) +
        std::max(look.fade_out, next ? next->panel->look.transition.frames_before_cut : 0);
    if (used > current.panel->frames)
        diagnostics.add(current.panel->where, "panel " + current.name,
                        "its transitions and fade take " + std::to_string(used) +
                            " frames but it is held for " + std::to_string(current.panel->frames),
                        "shorten the transitions or the fade_out");
}

}  // namespace

void check_looks_in_cut(const Project& project, Diagnostics& diagnostics) {
    std::vector<PanelInCut> cut;
    for (const auto& sequence : project.sequences)
        for (const auto& shot : sequence.shots)
            for (const auto& panel : shot.panels)
                cut.push_back({&panel, panel_path(sequence, shot, panel)});
    for (std::size_t i = 0; i < cut.size(); ++i) {
        const PanelInCut* previous = i > 0 ? &cut[i - 1] : nullptr;
        const PanelInCut* next = i + 1 < cut.size() ? &cut[i + 1] : nullptr;
        check_transition(previous, cut[i], diagnostics);
        check_budget(cut[i], next, diagnostics);
    }
}

}  // namespace storyreel
