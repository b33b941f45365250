#include "stages/cut_list_transitions.h"

#include <algorithm>

#include "stages/panel_framer.h"

namespace storyreel {

namespace {

/// The transition into a panel, from its neighbour in the movie or from black.
void add_transition_in(const CutPlan& plan, const PanelSlot& slot, std::size_t clip,
                       std::vector<CutListTransition>& transitions) {
    const Transition& transition = slot.panel->look.transition;
    if (transition.type == TransitionType::None) return;
    const std::int64_t cut = slot.unit_start_frame;
    if (previous_in_unit(plan, slot)) {
        const auto kind = transition.type == TransitionType::Dissolve
                              ? CutListTransitionKind::Dissolve
                              : CutListTransitionKind::DipToBlack;
        transitions.push_back(
            {kind, clip, cut, transition.frames_before_cut, transition.frames_after_cut()});
    } else if (transition.frames_after_cut() > 0) {
        // The movie starts here: the frames before the cut are in the movie before it.
        transitions.push_back(
            {CutListTransitionKind::FadeIn, clip, cut, 0, transition.frames_after_cut()});
    }
}

/// The panel's fade out, or its end mixing with black because the next panel's
/// transition starts before a cut that lies outside this movie.
void add_fade_out(const Project& project, const CutPlan& plan, const PanelSlot& slot,
                  std::size_t clip, std::vector<CutListTransition>& transitions) {
    std::int64_t frames = slot.panel->look.fade_out;
    if (!next_in_unit(plan, slot))
        if (const Panel* next = panel_after(project, slot);
            next && next->look.transition.type != TransitionType::None)
            frames = std::max(frames, next->look.transition.frames_before_cut);
    if (frames > 0)
        transitions.push_back({CutListTransitionKind::FadeOut, clip,
                               slot.unit_start_frame + slot.frames(), frames, 0});
}

}  // namespace

std::vector<CutListTransition> cut_list_transitions(const Project& project, const CutPlan& plan,
                                                    const OutputUnit& unit) {
    std::vector<CutListTransition> transitions;
    for (std::size_t clip = 0; clip < unit.slots.size(); ++clip) {
        const PanelSlot& slot = plan.slots[unit.slots[clip]];
        add_transition_in(plan, slot, clip, transitions);
        add_fade_out(project, plan, slot, clip, transitions);
    }
    std::stable_sort(transitions.begin(), transitions.end(), [](const auto& a, const auto& b) {
        return a.first_frame() < b.first_frame();
    });
    return transitions;
}

}  // namespace storyreel
