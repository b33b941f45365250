#include "stages/slate_stage.h"

namespace storyreel {

namespace {

class SlateStage : public CutStage {
  public:
    explicit SlateStage(SlateValue spec) : spec_(std::move(spec)) {}

    std::any compute(const CutPlan&, const BuildEnvironment&, const CutContext&) override {
        return spec_;
    }

    std::map<std::string, std::filesystem::path> files_in_key() const override {
        return {{"font", spec_->font}};
    }

  private:
    SlateValue spec_;
};

std::unique_ptr<Stage> create_slate(const StageParams& params, Diagnostics& diagnostics) {
    auto spec = parse_slate_spec(params, diagnostics);
    if (!spec) return nullptr;
    return std::make_unique<SlateStage>(std::make_shared<const SlateSpec>(std::move(*spec)));
}

}  // namespace

StageType slate_stage_type() {
    return {"slate",
            StageShape::Cut,
            {},
            kSlatePort,
            "a slate card before each movie's first frame (pre-roll: the cut keeps its timecode)",
            create_slate};
}

}  // namespace storyreel
