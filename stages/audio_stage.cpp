#include "stages/audio_stage.h"

#include <algorithm>

#include "pipeline/yaml_fields.h"
#include "stages/cut_audio.h"

namespace storyreel {

namespace {

class AudioStage : public CutStage {
public:
    std::string fingerprint() const override { return "audio v1 48000Hz stereo float mix"; }

    std::any compute(const CutPlan& plan, const BuildEnvironment& environment) override {
        std::int64_t first = 0;
        std::int64_t last = 0;
        if (!plan.units.empty()) {
            first = plan.units.front().cut_start_sample;
            for (const auto& unit : plan.units) {
                first = std::min(first, unit.cut_start_sample);
                last = std::max(last, unit.cut_start_sample + unit.sample_count);
            }
        }
        return AudioValue(CutAudio::render(plan.audio, first, last - first,
                                           environment.work_dir / "cut-audio.f32"));
    }
};

std::unique_ptr<Stage> create_audio(const StageParams& params, Diagnostics& diagnostics) {
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        const std::size_t before = diagnostics.size();
        fields.allow_only({});
        if (diagnostics.size() != before) return nullptr;
    }
    return std::make_unique<AudioStage>();
}

}  // namespace

StageType audio_stage_type() {
    return {"audio", StageShape::Cut, {}, kAudioPort,
            "decodes, resamples and mixes the temp audio for the cut", create_audio};
}

}  // namespace storyreel
