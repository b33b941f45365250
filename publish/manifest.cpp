#include "publish/manifest.h"

#include <map>

#include "pipeline/cache_key.h"
#include "pipeline/content_hash.h"
#include "pipeline/json_number.h"
#include "pipeline/version.h"

namespace storyreel::publish {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Content hashes by path, from build.json's inputs; files it does not list are hashed now.
class HashLookup {
  public:
    explicit HashLookup(const json& report) {
        for (const auto& input : report.value("inputs", json::array()))
            hashes_[input.at("path").get<std::string>()] = input.at("hash").get<std::string>();
    }
    std::string of(const fs::path& file) {
        auto found = hashes_.find(file.string());
        if (found != hashes_.end()) return found->second;
        return hashes_[file.string()] = hash_file(file);
    }

  private:
    std::map<std::string, std::string> hashes_;
};

/// The panel's look as it changes the cut's pictures ("" for a held still without one).
std::string look_text(const PanelLook& look) {
    std::string text;
    for (const std::string& part :
         {look.camera.fingerprint(), look.transition.fingerprint(),
          look.fade_out > 0 ? "fade_out " + std::to_string(look.fade_out) : std::string()})
        if (!part.empty()) text += (text.empty() ? "" : "; ") + part;
    return text;
}

json panel_entry(const PanelSlot& slot, const OutputUnit& unit, HashLookup& hashes) {
    json audio = json::array();
    for (const auto& clip : slot.panel->audio)
        audio.push_back({{"file", clip.file.string()},
                         {"hash", hashes.of(clip.file)},
                         {"offset_samples", clip.offset_samples},
                         {"gain_db", clip.gain_db}});
    const Timecode in = unit.start_timecode.plus(slot.unit_start_frame);
    return {
        {"panel", slot.name()},
        {"shot", slot.sequence->name + "/" + slot.shot->name},
        {"board", slot.panel->board.string()},
        {"board_hash", hashes.of(slot.panel->board)},
        {"start_frame", slot.unit_start_frame},
        {"frames", slot.frames()},
        {"record_in", in.to_string()},
        {"record_out", in.plus(slot.frames()).to_string()},
        {"dialogue", slot.panel->dialogue},
        {"notes", slot.panel->notes},
        {"audio", audio},
        {"look", look_text(slot.panel->look)},
    };
}

bool belongs_to(const AudioTrack* track, const Project& project,
                const std::vector<const Sequence*>& sequences) {
    for (const auto& own : project.audio)
        if (&own == track) return true;
    for (const Sequence* sequence : sequences)
        for (const auto& own : sequence->audio)
            if (&own == track) return true;
    return false;
}

/// Temp audio heard in the unit: the cut's tracks and those of its sequences, placed
/// relative to the unit's first sample.
json unit_audio(const ValidatedBuild& build, const OutputUnit& unit,
                const std::vector<const Sequence*>& sequences, HashLookup& hashes) {
    json audio = json::array();
    for (const auto& placement : build.plan.audio) {
        if (!belongs_to(placement.track, build.project, sequences)) continue;
        audio.push_back({{"file", placement.track->file.string()},
                         {"hash", hashes.of(placement.track->file)},
                         {"start_sample", placement.cut_start_sample - unit.cut_start_sample},
                         {"gain_db", placement.track->gain_db}});
    }
    return audio;
}

json stage_entries(const PipelineSpec& pipeline, const json& report) {
    json stages = json::array();
    for (const auto& stage : report.value("stages", json::array())) {
        const StageSpec* spec = pipeline.find(stage.at("name").get<std::string>());
        stages.push_back({{"name", stage.at("name")},
                          {"type", stage.at("type")},
                          {"settings", stage.at("settings")},
                          {"params", spec ? params_to_json(spec->params) : json::object()}});
    }
    return stages;
}

json input_entries(const json& panels, const json& audio, const ValidatedBuild& build,
                   HashLookup& hashes) {
    json inputs = json::array();
    inputs.push_back({{"path", build.project.file.string()},
                      {"role", "project"},
                      {"hash", hashes.of(build.project.file)}});
    inputs.push_back({{"path", build.pipeline.file.string()},
                      {"role", "pipeline"},
                      {"hash", hashes.of(build.pipeline.file)}});
    for (const auto& panel : panels) {
        inputs.push_back(
            {{"path", panel.at("board")}, {"role", "board"}, {"hash", panel.at("board_hash")}});
        for (const auto& clip : panel.at("audio"))
            inputs.push_back(
                {{"path", clip.at("file")}, {"role", "panel_audio"}, {"hash", clip.at("hash")}});
    }
    for (const auto& track : audio)
        inputs.push_back(
            {{"path", track.at("file")}, {"role", "audio"}, {"hash", track.at("hash")}});
    return inputs;
}

}  // namespace

json params_to_json(const YAML::Node& params) {
    if (!params.IsDefined() || params.IsNull()) return json::object();
    if (params.IsScalar()) return params.Scalar();
    if (params.IsSequence()) {
        json list = json::array();
        for (const auto& item : params) list.push_back(params_to_json(item));
        return list;
    }
    json map = json::object();
    for (const auto& item : params)
        map[item.first.as<std::string>("")] = params_to_json(item.second);
    return map;
}

/// The production checks' findings about the unit's sequences (build.json `checks`), or
/// null when the build ran none. Not part of the fingerprint: a finding alone is no new cut.
json unit_findings(const std::vector<const Sequence*>& sequences, const json& report) {
    if (!report.contains("checks") || !report["checks"].is_object()) return nullptr;
    json findings = json::array();
    for (const auto& finding : report["checks"].value("findings", json::array())) {
        const std::string sequence = finding.value("sequence", std::string());
        for (const Sequence* unit_sequence : sequences)
            if (unit_sequence->name == sequence) findings.push_back(finding);
    }
    return {{"format_version", json_integer_or(report["checks"], "format_version", 1, 0, 1000)},
            {"findings", findings}};
}

json describe_unit(const ValidatedBuild& build, const OutputUnit& unit, const json& report) {
    HashLookup hashes(report);
    const ShowSettings& show = build.project.show;
    json panels = json::array();
    std::vector<const Sequence*> sequences;
    for (std::size_t index : unit.slots) {
        const PanelSlot& slot = build.plan.slots[index];
        if (sequences.empty() || sequences.back() != slot.sequence)
            sequences.push_back(slot.sequence);
        panels.push_back(panel_entry(slot, unit, hashes));
    }
    const json audio = unit_audio(build, unit, sequences, hashes);
    const FrameRate rate = build.plan.rate;
    json manifest = {
        {"format_version", kManifestVersion},
        {"tool", {{"name", "storyreel"}, {"version", kVersion}}},
        {"show",
         {{"name", show.name},
          {"frame_rate", rate.to_string()},
          {"frame_rate_rational", std::to_string(rate.num) + "/" + std::to_string(rate.den)},
          {"resolution", {show.width, show.height}},
          {"drop_frame", show.drop_frame}}},
        {"sequence", unit.name},
        {"start_timecode", unit.start_timecode.to_string()},
        {"end_timecode", unit.start_timecode.plus(unit.frame_count).to_string()},
        {"frame_count", unit.frame_count},
        {"duration_seconds", static_cast<double>(unit.frame_count) * static_cast<double>(rate.den) /
                                 static_cast<double>(rate.num)},
        {"panels", panels},
        {"audio", audio},
        {"stages", stage_entries(build.pipeline, report)},
        {"inputs", input_entries(panels, audio, build, hashes)},
    };
    if (json checks = unit_findings(sequences, report); !checks.is_null())
        manifest["checks"] = checks;
    manifest["fingerprint"] = cut_fingerprint(manifest);
    return manifest;
}

std::string cut_fingerprint(const json& manifest) {
    json cut = {{"show", manifest.at("show")},
                {"start_timecode", manifest.at("start_timecode")},
                {"audio", manifest.at("audio")}};
    json panels = json::array();
    for (const auto& panel : manifest.at("panels")) {
        json audio = json::array();
        for (const auto& clip : panel.at("audio"))
            audio.push_back({clip.at("hash"), clip.at("offset_samples"), clip.at("gain_db")});
        json entry = {panel.at("panel"),    panel.at("board_hash"), panel.at("frames"),
                      panel.at("dialogue"), panel.at("notes"),      audio};
        // Only a look changes the text, so versions of panels without one keep their fingerprint.
        if (const std::string look = panel.value("look", ""); !look.empty()) entry.push_back(look);
        panels.push_back(entry);
    }
    cut["panels"] = panels;
    for (auto& track : cut["audio"]) track.erase("file");
    json stages = json::array();
    for (const auto& stage :
         manifest.at("stages"))  // where it is published does not change the cut
        if (stage.at("type") != "publish") {
            // Nor which libav, x264 or OpenImageIO made the files: the cut is the same.
            const json& settings = stage.at("settings");
            stages.push_back({stage.at("name"), stage.at("type"),
                              settings.is_string()
                                  ? json(without_library_versions(settings.get<std::string>()))
                                  : settings});
        }
    cut["stages"] = stages;
    return ContentHasher().add("storyreel publish cut v1").add(cut.dump()).digest();
}

}  // namespace storyreel::publish
