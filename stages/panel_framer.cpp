#include "stages/panel_framer.h"

#include <algorithm>
#include <cstring>

#include "pipeline/diagnostics.h"
#include "stages/camera_move.h"
#include "stages/transition_mix.h"

namespace storyreel {

namespace {

std::int64_t frames_after_cut(const Panel& panel) {
    const Transition& transition = panel.look.transition;
    return transition.type == TransitionType::None ? 0 : transition.frames_after_cut();
}

std::int64_t frames_before_cut(const Panel* panel) {
    if (!panel || panel->look.transition.type == TransitionType::None) return 0;
    return panel->look.transition.frames_before_cut;
}

/// The framing of a neighbour at one frame, for fingerprints ("" when unmoved).
std::string framing_text(const Panel& panel, std::int64_t frame) {
    CameraMove still;
    still.keys.push_back(panel.look.camera.at(frame));
    return still.fingerprint();
}

OIIO::ImageBuf copy_of(const OIIO::ImageBuf& picture) {
    OIIO::ImageBuf copy(picture.spec(), OIIO::InitializePixels::No);
    std::memcpy(copy.localpixels(), picture.localpixels(), picture.spec().image_bytes());
    return copy;
}

}  // namespace

const Panel* panel_after(const Project& project, const PanelSlot& slot) {
    const auto& panels = slot.shot->panels;
    if (slot.panel + 1 < panels.data() + panels.size()) return slot.panel + 1;
    const auto& shots = slot.sequence->shots;
    for (const Shot* shot = slot.shot + 1; shot < shots.data() + shots.size(); ++shot)
        if (!shot->panels.empty()) return &shot->panels.front();
    const auto& sequences = project.sequences;
    for (const Sequence* sequence = slot.sequence + 1;
         sequence < sequences.data() + sequences.size(); ++sequence)
        for (const auto& shot : sequence->shots)
            if (!shot.panels.empty()) return &shot.panels.front();
    return nullptr;
}

const PanelSlot* previous_in_unit(const CutPlan& plan, const PanelSlot& slot) {
    if (slot.ordinal == 0) return nullptr;
    const PanelSlot& before = plan.slots[slot.ordinal - 1];
    const bool adjacent = before.unit == slot.unit &&
                          before.cut_start_frame + before.frames() == slot.cut_start_frame;
    return adjacent ? &before : nullptr;
}

const PanelSlot* next_in_unit(const CutPlan& plan, const PanelSlot& slot) {
    if (slot.ordinal + 1 >= plan.slots.size()) return nullptr;
    const PanelSlot& after = plan.slots[slot.ordinal + 1];
    return previous_in_unit(plan, after) == &slot ? &after : nullptr;
}

std::vector<const PanelSlot*> neighbours_drawn_into(const CutPlan& plan, const PanelSlot& slot) {
    std::vector<const PanelSlot*> neighbours;
    const PanelSlot* before = previous_in_unit(plan, slot);
    const PanelSlot* after = next_in_unit(plan, slot);
    if (before && frames_after_cut(*slot.panel) > 0) neighbours.push_back(before);
    if (after && frames_before_cut(after->panel) > 0) neighbours.push_back(after);
    return neighbours;
}

std::string panel_look_fingerprint(const Project& project, const CutPlan& plan,
                                   const PanelSlot& slot,
                                   const std::function<std::string(const Panel&)>& board_hash) {
    const Panel& panel = *slot.panel;
    std::string text = panel.look.camera.fingerprint();
    if (frames_after_cut(panel) > 0) {
        const PanelSlot* before = previous_in_unit(plan, slot);
        text += " in=" + panel.look.transition.fingerprint() + " from=" +
                (before ? board_hash(*before->panel) +
                              framing_text(*before->panel, before->frames() - 1)
                        : std::string("black"));
    }
    const Panel* next = panel_after(project, slot);
    if (frames_before_cut(next) > 0) {
        const PanelSlot* after = next_in_unit(plan, slot);
        text += " out=" + next->look.transition.fingerprint() + " to=" +
                (after ? board_hash(*after->panel) + framing_text(*after->panel, 0)
                       : std::string("black"));
    }
    if (panel.look.fade_out > 0) text += " fade_out=" + std::to_string(panel.look.fade_out);
    return text;
}

std::int64_t PanelFramer::tail_frames(const PanelSlot& slot) const {
    return std::max(frames_before_cut(panel_after(project_, slot)), slot.panel->look.fade_out);
}

bool PanelFramer::plain_still(const PanelSlot& slot) const {
    return !slot.panel->look.camera.moves() && frames_after_cut(*slot.panel) == 0 &&
           tail_frames(slot) == 0;
}

void PanelFramer::skip(const PanelSlot& slot) {
    if (waiting_)
        throw std::logic_error("panel " + slot.name() +
                               ": a transition waited for this panel's picture");
    continues_ = false;
    previous_last_.reset();
}

std::shared_ptr<const OIIO::ImageBuf> PanelFramer::clean(const Current& panel,
                                                         std::int64_t k) const {
    const CameraMove& camera = panel.slot->panel->look.camera;
    if (!camera.moves()) return panel.look.picture;
    return std::make_shared<const OIIO::ImageBuf>(
        view_through_camera(*panel.look.picture, camera.at(k)));
}

OIIO::ImageBuf PanelFramer::frame_at(const Current& panel, std::int64_t k) const {
    const Panel& p = *panel.slot->panel;
    const std::int64_t frames = p.frames;
    const std::int64_t out_before = frames_before_cut(panel_after(project_, *panel.slot));
    const auto picture = clean(panel, k);
    const OIIO::ImageSpec& spec = picture->spec();
    OIIO::ImageBuf frame;
    if (k < frames_after_cut(p) && !previous_in_unit(plan_, *panel.slot)) {
        // The movie opens here: the transition's frames after the cut fade in from black.
        frame =
            mix_pictures(picture.get(), fade_in_weight(k, frames_after_cut(p)), nullptr, 0, spec);
    } else if (k < frames_after_cut(p)) {
        const Transition& in = p.look.transition;
        const auto [from, to] = transition_weights(in.type, in.frames_before_cut + k, in.frames);
        frame = mix_pictures(previous_last_.get(), from, picture.get(), to, spec);
    } else if (k >= frames - out_before) {
        const Transition& out = panel_after(project_, *panel.slot)->look.transition;
        const auto [from, to] = transition_weights(out.type, k - (frames - out_before), out.frames);
        frame = mix_pictures(picture.get(), from, next_first_.get(), to, spec);
    } else if (k >= frames - p.look.fade_out) {
        const double weight = fade_out_weight(k - (frames - p.look.fade_out), p.look.fade_out);
        frame = mix_pictures(picture.get(), weight, nullptr, 0, spec);
    } else {
        frame = copy_of(*picture);
    }
    if (panel.look.burnins) {
        panel.look.burnins->draw_static(frame);
        panel.look.burnins->draw_frame(frame, k);
    }
    return frame;
}

void PanelFramer::emit_held(const Current& panel, std::int64_t begin, std::int64_t end,
                            FrameTarget& target) {
    OIIO::ImageBuf base = copy_of(*panel.look.picture);
    const auto& burnins = panel.look.burnins;
    if (burnins) burnins->draw_static(base);
    if (!burnins || !burnins->per_frame()) {
        target.held(*panel.slot, base, end - begin);  // the fast path: one picture, one encode
        continues_ = false;
        return;
    }
    // Per-frame text on a held panel: only the changing boxes are restored and redrawn, and
    // the output is told which (it converts only those to Y'CbCr).
    OIIO::ImageBuf work = copy_of(base);
    std::vector<OIIO::ROI> drawn;
    for (std::int64_t k = begin; k < end; ++k) {
        std::vector<OIIO::ROI> changed = drawn;
        for (const auto& region : drawn) copy_region(base, work, region);
        drawn = burnins->draw_frame(work, k);
        if (k == begin) {
            target.single(*panel.slot, work, continues_);
        } else {
            changed.insert(changed.end(), drawn.begin(), drawn.end());
            target.single_changed(*panel.slot, work, changed);
        }
        continues_ = true;
    }
}

void PanelFramer::emit_range(const Current& panel, std::int64_t begin, std::int64_t end,
                             FrameTarget& target) {
    const PanelSlot& slot = *panel.slot;
    const std::int64_t body_begin = frames_after_cut(*slot.panel);
    const std::int64_t body_end = slot.frames() - tail_frames(slot);
    const bool still = !slot.panel->look.camera.moves();
    for (std::int64_t k = begin; k < end;) {
        if (still && k >= body_begin && k < body_end) {
            const std::int64_t stop = std::min(end, body_end);
            emit_held(panel, k, stop, target);
            k = stop;
            continue;
        }
        target.single(slot, frame_at(panel, k), continues_);
        continues_ = true;
        ++k;
    }
}

void PanelFramer::push(const PanelSlot& slot, const std::any& value, FrameTarget& target) {
    Current current{&slot, looked_frame_of(value)};
    if (!previous_in_unit(plan_, slot)) {
        previous_last_.reset();
        continues_ = false;
    }
    if (waiting_) {  // the panel before this one: its last frames mix with this picture
        next_first_ = current.look.picture ? clean(current, 0) : nullptr;
        const std::int64_t frames = waiting_->slot->frames();
        emit_range(*waiting_, frames - tail_frames(*waiting_->slot), frames, target);
        target.panel_done(*waiting_->slot);
        waiting_.reset();
        next_first_.reset();
    }
    const std::int64_t frames = slot.frames();
    const std::int64_t tail = tail_frames(slot);
    const PanelSlot* next = next_in_unit(plan_, slot);
    const bool wanted = target.wants(slot);
    if (wanted) {
        if (!current.look.picture)
            throw std::logic_error("panel " + slot.name() +
                                   ": no picture reached the output stage");
        emit_range(current, 0, frames - tail, target);
    }
    std::shared_ptr<const OIIO::ImageBuf> last;
    if (next && frames_after_cut(*next->panel) > 0 && current.look.picture)
        last = clean(current, frames - 1);
    // Only a transition into the next panel needs its picture; a fade out does not wait
    // (the next panel may be a plain still the output writes without this framer).
    if (wanted && tail > 0 && next && frames_before_cut(next->panel) > 0) {
        waiting_ = current;
    } else {
        if (wanted && tail > 0)
            emit_range(current, frames - tail, frames, target);  // mixes with black
        target.panel_done(slot);
    }
    previous_last_ = std::move(last);
}

}  // namespace storyreel
