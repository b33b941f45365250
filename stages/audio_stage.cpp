#include "stages/audio_stage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>

#include "pipeline/artifact_cache.h"
#include "pipeline/content_hash.h"
#include "pipeline/shot_record.h"
#include "pipeline/yaml_fields.h"
#include "stages/cut_audio.h"
#include "stages/loudness.h"
#include "stages/true_peak_scan.h"

namespace storyreel {

namespace {

/// Optional EBU R128 normalisation of each output unit's mix.
struct LoudnessTarget {
    double integrated_lufs = -23.0;
    double max_true_peak_dbtp = -1.0;
};

class AudioStage : public CutStage {
  public:
    explicit AudioStage(std::optional<LoudnessTarget> loudness) : loudness_(loudness) {}

    /// Renders the mix into the shot cache, or reuses the one rendered for the same audio
    /// files, placements and settings (a redraw must not re-decode an hour of sound).
    std::any compute(const CutPlan& plan, const BuildEnvironment&,
                     const CutContext& context) override {
        std::int64_t first = 0;
        std::int64_t last = 0;
        if (!plan.units.empty()) {
            first = plan.units.front().cut_start_sample;
            for (const auto& unit : plan.units) {
                first = std::min(first, unit.cut_start_sample);
                last = std::max(last, unit.cut_start_sample + unit.sample_count);
            }
        }
        const std::string key = mix_key(plan, first, last - first, context.hashes);
        if (auto found = context.cache.find(key)) {
            auto audio = CutAudio::open(*found, first, last - first, key);
            if (loudness_)
                units_ = read_loudness_report(found->parent_path() / kLoudnessFile);
            else if (!read_peaks(found->parent_path() / kPeaksFile))
                for (const auto& unit : plan.units) scan_peaks(*audio, unit);  // an older entry
            return AudioValue(audio);
        }
        PendingEntry entry = context.cache.begin(key, "mix.f32");
        try {
            auto audio = CutAudio::render(plan.audio, first, last - first, entry.artifact);
            if (loudness_) {
                for (const auto& unit : plan.units) normalise(*audio, unit);
                std::ofstream(entry.folder / kLoudnessFile) << units_.dump();
            } else {
                for (const auto& unit : plan.units) scan_peaks(*audio, unit);
                std::ofstream(entry.folder / kPeaksFile) << peaks_.dump();
            }
            audio->set_content_key(key);
            context.cache.publish(entry);  // the open file stays readable whoever wins
            return AudioValue(audio);
        } catch (...) {
            context.cache.discard(entry);
            throw;
        }
    }

    nlohmann::json report() const override {
        std::lock_guard lock(mutex_);
        if (!units_.empty()) return {{"loudness", units_}};
        if (!peaks_.empty()) return {{"peaks", peaks_}};
        return nullptr;
    }

  private:
    static constexpr const char* kLoudnessFile = "loudness.json";
    static constexpr const char* kPeaksFile = "peaks.json";

    /// Everything that determines the mix's samples: this stage's settings, the span, and
    /// for every placement its file's content hash, start and every mixing parameter.
    std::string mix_key(const CutPlan& plan, std::int64_t first, std::int64_t count,
                        const InputHashes& hashes) const {
        ContentHasher hasher;
        hasher.add("cut mix v1").add(fingerprint()).add(first).add(count);
        for (const auto& placement : plan.audio) {
            const AudioTrack& track = *placement.track;
            hasher.add(hashes.of(track.file)).add(placement.cut_start_sample);
            hasher.add(std::to_string(track.gain_db)).add(track.fade_in_samples);
            hasher.add(track.fade_out_samples).add(track.mute ? 1 : 0).add(track.solo ? 1 : 0);
        }
        return hasher.digest();
    }

    static nlohmann::json read_loudness_report(const std::filesystem::path& file) {
        std::ifstream in(file);
        nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
        return report.is_array() ? report : nlohmann::json::array();
    }

    /// The peaks a cached mix was rendered with; false when the entry has none.
    bool read_peaks(const std::filesystem::path& file) {
        std::ifstream in(file);
        nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
        if (!report.is_array()) return false;
        std::lock_guard lock(mutex_);
        peaks_ = std::move(report);
        return true;
    }

    /// Each unit's sample and true peak for the production checks' clipping test.
    void scan_peaks(CutAudio& audio, const OutputUnit& unit) {
        const PeakScan scan =
            scan_true_peak(unit.sample_count, [&](std::int64_t start, int count, float* out) {
                audio.read(unit.cut_start_sample + start, count, out);
            });
        std::lock_guard lock(mutex_);
        peaks_.push_back({{"unit", unit.name},
                          {"sample_peak_dbfs", scan.sample_peak_dbfs},
                          {"true_peak_dbtp", scan.true_peak_dbtp},
                          {"true_peak_measured_seconds", scan.measured_seconds}});
    }

    void normalise(CutAudio& audio, const OutputUnit& unit) {
        auto reader = [&](std::int64_t start, int count, float* out) {
            audio.read(unit.cut_start_sample + start, count, out);
        };
        const LoudnessMeasurement before = measure_loudness(unit.sample_count, reader);
        const double gain_db = normalisation_gain_db(before, loudness_->integrated_lufs,
                                                     loudness_->max_true_peak_dbtp);
        audio.scale(unit.cut_start_sample, unit.sample_count,
                    static_cast<float>(std::pow(10.0, gain_db / 20.0)));
        const LoudnessMeasurement after = measure_loudness(unit.sample_count, reader);
        std::lock_guard lock(mutex_);
        units_.push_back({{"unit", unit.name},
                          {"target_lufs", loudness_->integrated_lufs},
                          {"max_true_peak_dbtp", loudness_->max_true_peak_dbtp},
                          {"measured_lufs", before.integrated_lufs},
                          {"measured_true_peak_dbtp", before.true_peak_dbtp},
                          {"gain_db", gain_db},
                          {"output_lufs", after.integrated_lufs},
                          {"output_true_peak_dbtp", after.true_peak_dbtp},
                          {"limited_by_true_peak",
                           gain_db < loudness_->integrated_lufs - before.integrated_lufs - 0.05}});
    }

    std::optional<LoudnessTarget> loudness_;
    mutable std::mutex mutex_;
    nlohmann::json units_ = nlohmann::json::array();
    nlohmann::json peaks_ = nlohmann::json::array();  ///< without loudness normalisation
};

std::optional<LoudnessTarget> read_loudness(YamlFields& params) {
    YamlFields fields(params.node("loudness"), params.file(), params.subject() + " loudness",
                      params.diagnostics());
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"integrated_lufs", "true_peak_dbtp"});
    LoudnessTarget target;
    if (auto value = fields.number("integrated_lufs")) {
        if (*value < -70 || *value > -5)
            fields.problem("integrated_lufs", "must be between -70 and -5 LUFS", "EBU R128: -23");
        target.integrated_lufs = *value;
    }
    if (auto value = fields.number("true_peak_dbtp")) {
        if (*value > 0 || *value < -70)
            fields.problem("true_peak_dbtp", "must be between -70 and 0 dBTP", "EBU R128: -1");
        target.max_true_peak_dbtp = *value;
    }
    return target;
}

std::unique_ptr<Stage> create_audio(const StageParams& params, Diagnostics& diagnostics) {
    std::optional<LoudnessTarget> loudness;
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        const std::size_t before = diagnostics.size();
        fields.allow_only({"loudness"});
        if (fields.has("loudness")) loudness = read_loudness(fields);
        if (diagnostics.size() != before) return nullptr;
    }
    return std::make_unique<AudioStage>(loudness);
}

}  // namespace

StageType audio_stage_type() {
    return {
        "audio",
        StageShape::Cut,
        {},
        kAudioPort,
        "decodes, resamples and mixes the temp audio for the cut (optionally to a loudness target)",
        create_audio};
}

}  // namespace storyreel
