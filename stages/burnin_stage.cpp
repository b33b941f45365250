#include "stages/burnin_stage.h"

#include "stages/look_value.h"

namespace storyreel {

namespace {

class BurnInStage : public PanelStage {
  public:
    BurnInStage(std::shared_ptr<const BurnInSpec> spec, const Project& project, const CutPlan& plan)
        : spec_(std::move(spec)), project_(project), plan_(plan) {}

    std::string panel_fingerprint(const PanelSlot& slot) const override {
        return PanelBurnIns(spec_, project_.show, place_of(slot, plan_)).fingerprint();
    }

    std::map<std::string, std::filesystem::path> files_in_key() const override {
        return {{"font", spec_->style.font}};
    }

    std::any process(const PanelSlot& slot, const std::any& input) override {
        LookedFrame frame = looked_frame_of(input);
        frame.burnins =
            std::make_shared<const PanelBurnIns>(spec_, project_.show, place_of(slot, plan_));
        return frame;
    }

  private:
    std::shared_ptr<const BurnInSpec> spec_;
    const Project& project_;
    const CutPlan& plan_;
};

std::unique_ptr<Stage> create_burnins(const StageParams& params, Diagnostics& diagnostics) {
    auto spec = parse_burnin_spec(params, diagnostics);
    if (!spec || !params.plan) return nullptr;
    return std::make_unique<BurnInStage>(std::make_shared<const BurnInSpec>(std::move(*spec)),
                                         *params.project, *params.plan);
}

}  // namespace

StageType burnin_stage_type() {
    return {"burnins",
            StageShape::Panel,
            {{kFramePort, true}},
            kFramePort,
            "burns text (names, counters, timecode, dialogue) and an optional slate into frames",
            create_burnins};
}

}  // namespace storyreel
