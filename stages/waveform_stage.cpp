#include "stages/waveform_stage.h"

#include <optional>

#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"
#include "pipeline/shot_record.h"
#include "pipeline/yaml_fields.h"
#include "stages/cut_audio.h"
#include "stages/waveform_image.h"

namespace storyreel {

namespace {

struct FinishedImage {
    PendingFile file;
};

class WaveformStage : public SinkStage {
  public:
    WaveformStage(std::string name, WaveformStyle style, const Project& project,
                  const BuildEnvironment& environment)
        : name_(std::move(name)), style_(style), project_(project), environment_(environment) {}

    std::vector<ShotDecision> plan_reuse(const SinkContext&) override { return {}; }
    bool needs_pixels(const PanelSlot&) const override { return false; }

    void begin_unit(const OutputUnit&, const std::vector<std::any>& cut_values) override {
        audio_.reset();
        for (const auto& value : cut_values)
            if (const auto* audio = std::any_cast<AudioValue>(&value)) audio_ = *audio;
        boundaries_.clear();
    }

    void consume(const PanelSlot& slot, const std::any&) override {
        if (slot.unit_start_frame > 0)
            boundaries_.push_back(
                project_.show.frame_rate.sample_at_frame(slot.cut_start_frame, kAudioSampleRate) -
                project_.show.frame_rate.sample_at_frame(
                    slot.cut_start_frame - slot.unit_start_frame, kAudioSampleRate));
    }

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        const auto final_path = environment_.output_dir / (unit.name + "_" + name_ + ".png");
        PendingFile file(final_path);
        auto read = [&](std::int64_t start, int count, float* out) {
            if (audio_)
                audio_->read(unit.cut_start_sample + start, count, out);
            else
                std::fill(out, out + 2 * count, 0.f);
        };
        write_waveform_png(file.temporary_path(), unit.sample_count, read, boundaries_, style_);
        OutputRecord record =
            unit_output_record(unit, project_.show.frame_rate, "waveform", name_, final_path);
        record.size_bytes = std::filesystem::file_size(file.temporary_path());
        record.checksum = hash_file(file.temporary_path());
        record.properties = {{"codec", "png"},
                             {"width", std::to_string(style_.width)},
                             {"height", std::to_string(style_.height)},
                             {"panel_boundaries", std::to_string(boundaries_.size())}};
        finished_.push_back({std::move(file)});
        return {record};
    }

    void commit() override {
        for (auto& image : finished_) image.file.commit();
        finished_.clear();
    }
    void abort() noexcept override { finished_.clear(); }

  private:
    std::string name_;
    WaveformStyle style_;
    const Project& project_;
    const BuildEnvironment& environment_;
    AudioValue audio_;
    std::vector<std::int64_t> boundaries_;  ///< unit samples where a panel starts
    std::vector<FinishedImage> finished_;
};

std::unique_ptr<Stage> create_waveform(const StageParams& params, Diagnostics& diagnostics) {
    WaveformStyle style;
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        const std::size_t before = diagnostics.size();
        fields.allow_only({"width", "height"});
        if (auto width = fields.integer("width")) {
            if (*width < 16 || *width > 16384) fields.problem("width", "must be 16..16384 pixels");
            style.width = static_cast<int>(*width);
        }
        if (auto height = fields.integer("height")) {
            if (*height < 16 || *height > 4096) fields.problem("height", "must be 16..4096 pixels");
            style.height = static_cast<int>(*height);
        }
        if (diagnostics.size() != before) return nullptr;
    }
    if (!params.project || !params.environment) return nullptr;  // only validating
    return std::make_unique<WaveformStage>(params.stage_name, style, *params.project,
                                           *params.environment);
}

}  // namespace

StageType waveform_stage_type() {
    return {"waveform",
            StageShape::Sink,
            {{kAudioPort, true}},
            "",
            "a PNG of each movie's sound with the panel boundaries drawn on it",
            create_waveform};
}

}  // namespace storyreel
