#include "stages/shot_reuse_plan.h"

namespace storyreel {

ShotReusePlan::ShotReusePlan(std::string stage, const CutPlan& plan, std::string settings,
                             const PanelIngredients& panel_ingredients, ArtifactCache& cache,
                             BuildLog& log)
    : stage_(std::move(stage)) {
    shot_of_slot_.assign(plan.slots.size(), 0);
    for (const auto& unit : plan.units)
        for (const auto& span : unit.shots) {
            PlannedShot shot;
            shot.span = &span;
            shot.ingredients.settings = settings;
            for (std::size_t i = 0; i < span.slot_count; ++i) {
                const PanelSlot& slot = plan.slots[span.first_slot + i];
                shot.ingredients.panels.push_back(panel_ingredients(slot));
                shot_of_slot_[span.first_slot + i] = shots_.size();
            }
            shot.key = shot.ingredients.key();
            decisions_.push_back(decide(shot, cache, log));
            shots_.push_back(std::move(shot));
        }
}

void ShotReusePlan::set_segment(const PanelSlot& slot, std::filesystem::path segment) {
    shots_[shot_index(slot)].segment = std::move(segment);
}

ShotDecision ShotReusePlan::decide(PlannedShot& shot, ArtifactCache& cache, BuildLog& log) const {
    ShotDecision decision{stage_, shot.span->name(), shot.key, false, {}};
    std::string damage;
    if (auto found = cache.find(shot.key, &damage)) {
        shot.segment = *found;
        decision.reused = true;
        decision.reasons.push_back("in cache");
        log.record(stage_, decision.shot, shot.ingredients);
        return decision;
    }
    if (!damage.empty()) {
        decision.reasons.push_back("cache entry damaged (" + damage + ")");
        return decision;
    }
    const auto previous = log.last(stage_, decision.shot);
    if (!previous)
        decision.reasons.push_back("not in cache (never built here)");
    else if (previous->key() == shot.key)
        decision.reasons.push_back("not in cache (removed or trimmed)");
    else
        decision.reasons = explain_rebuild(*previous, shot.ingredients);
    if (decision.reasons.empty()) decision.reasons.push_back("not in cache");
    return decision;
}

PixelNeeds pixel_needs(
    const CutPlan& plan, const ShotReusePlan& shots,
    const std::function<std::vector<const PanelSlot*>(const PanelSlot&)>& mixed_into,
    const std::function<bool(const PanelSlot&)>& is_plain_still) {
    PixelNeeds needs;
    needs.pixels.assign(plan.slots.size(), false);
    std::vector<bool> mixed_in(plan.slots.size(), false);
    for (const auto& slot : plan.slots) {
        if (shots.built(slot)) continue;
        needs.pixels[slot.ordinal] = true;
        for (const PanelSlot* neighbour : mixed_into(slot)) {
            needs.pixels[neighbour->ordinal] = true;
            mixed_in[neighbour->ordinal] = true;
        }
    }
    needs.plain_still.assign(plan.slots.size(), false);
    for (const auto& slot : plan.slots)
        needs.plain_still[slot.ordinal] = needs.pixels[slot.ordinal] && !mixed_in[slot.ordinal] &&
                                          !shots.built(slot) && is_plain_still(slot);
    return needs;
}

}  // namespace storyreel
