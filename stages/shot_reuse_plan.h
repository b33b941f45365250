#pragma once
// Which shots of the cut an output stage can take from the cache, and why the others must
// be built: the stage's plan, like ninja's Plan beside its Builder. No libav and no pixels:
// it reads the cut plan, the shots' ingredients, the cache and the build log.

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/artifact_cache.h"
#include "pipeline/cut_plan.h"
#include "pipeline/shot_record.h"

namespace storyreel {

/// What the plan knows about one shot.
struct PlannedShot {
    const ShotSpan* span = nullptr;
    ShotIngredients ingredients;
    std::string key;
    std::optional<std::filesystem::path> segment;  ///< cached, or once it is built
};

class ShotReusePlan {
  public:
    /// Everything of one panel that enters its shot's key (board hash, frames, look).
    using PanelIngredients = std::function<PanelIngredient(const PanelSlot&)>;

    /// Looks every shot of `plan` up in `cache`: a shot found is reused (and recorded in
    /// `log` as built from its ingredients); one not found says why it is rebuilt,
    /// comparing with what `log` remembers of it. `settings` enters every shot's key.
    ShotReusePlan(std::string stage, const CutPlan& plan, std::string settings,
                  const PanelIngredients& panel_ingredients, ArtifactCache& cache, BuildLog& log);

    const std::vector<ShotDecision>& decisions() const { return decisions_; }
    const std::vector<PlannedShot>& shots() const { return shots_; }
    std::size_t shot_index(const PanelSlot& slot) const { return shot_of_slot_[slot.ordinal]; }
    const PlannedShot& shot_of(const PanelSlot& slot) const { return shots_[shot_index(slot)]; }
    const PlannedShot& shot_of(const ShotSpan& span) const {
        return shots_[shot_of_slot_[span.first_slot]];
    }
    /// Whether `slot`'s shot has a segment (reused, or built since).
    bool built(const PanelSlot& slot) const { return shot_of(slot).segment.has_value(); }
    /// Records the segment just built for `slot`'s shot.
    void set_segment(const PanelSlot& slot, std::filesystem::path segment);

  private:
    ShotDecision decide(PlannedShot& shot, ArtifactCache& cache, BuildLog& log) const;

    std::string stage_;
    std::vector<PlannedShot> shots_;
    std::vector<std::size_t> shot_of_slot_;
    std::vector<ShotDecision> decisions_;
};

/// Which panels an output stage must see the pixels of, by slot ordinal.
struct PixelNeeds {
    std::vector<bool> pixels;  ///< panels of shots to build, and the neighbours they mix with
    /// Of those, the plain held stills no neighbour's transition mixes: they can be
    /// converted or encoded on a worker thread, off the serial path.
    std::vector<bool> plain_still;
};

/// `mixed_into(slot)`: the neighbours whose pictures `slot`'s transitions mix (they are
/// needed even in reused shots); `is_plain_still(slot)`: held, no move, no transition.
PixelNeeds pixel_needs(
    const CutPlan& plan, const ShotReusePlan& shots,
    const std::function<std::vector<const PanelSlot*>(const PanelSlot&)>& mixed_into,
    const std::function<bool(const PanelSlot&)>& is_plain_still);

}  // namespace storyreel
