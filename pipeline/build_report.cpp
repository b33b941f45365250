#include "pipeline/build_report.h"

#include <set>

#include "pipeline/timing_report.h"
#include "pipeline/version.h"

namespace storyreel {

using nlohmann::json;

json to_json(const OutputRecord& record) {
    json out = {
        {"path", record.path.string()},
        {"kind", record.kind},
        {"stage", record.stage},
        {"unit", record.unit},
        {"frame_rate", record.frame_rate.to_string()},
        {"frame_rate_rational",
         std::to_string(record.frame_rate.num) + "/" + std::to_string(record.frame_rate.den)},
        {"frame_count", record.frame_count},
        {"duration_seconds", static_cast<double>(record.frame_count) *
                                 static_cast<double>(record.frame_rate.den) /
                                 static_cast<double>(record.frame_rate.num)},
        {"start_timecode", record.start_timecode},
        {"size_bytes", record.size_bytes},
        {"checksum", record.checksum},
    };
    for (const auto& [key, value] : record.properties) out[key] = value;
    for (const auto& [key, value] : record.counts) out[key] = value;  // numbers, not strings
    if (!record.publish_folder.empty()) out["publish_folder"] = record.publish_folder;
    return out;
}

namespace {

json panel_timing(const CutPlan& plan, const Project& project) {
    json panels = json::array();
    for (const auto& slot : plan.slots) {
        const OutputUnit& unit = plan.units[slot.unit];
        panels.push_back({
            {"panel", slot.name()},
            {"board", slot.panel->board.string()},
            {"unit", unit.name},
            {"cut_start_frame", slot.cut_start_frame},
            {"unit_start_frame", slot.unit_start_frame},
            {"frames", slot.frames()},
            {"timing_source", slot.panel->timing.source},
            {"timing_detail", slot.panel->timing.detail},
            {"record_timecode", unit.start_timecode.plus(slot.unit_start_frame).to_string()},
            {"dialogue", slot.panel->dialogue},
            {"action", slot.panel->action},
            {"notes", slot.panel->notes},
        });
    }
    (void)project;
    return panels;
}

json input_files(const Project& project, const PipelineSpec& pipeline, const InputHashes& hashes) {
    json inputs = json::array();
    std::set<std::string> boards, audio;
    for (const auto& [path, hash] : hashes.all()) {
        std::string role = "board";
        if (path == project.file)
            role = "project";
        else if (path == pipeline.file)
            role = "pipeline";
        else {
            for (const auto& track : project.audio)
                if (track.file == path) role = "audio";
            for (const auto& sequence : project.sequences)
                for (const auto& track : sequence.audio)
                    if (track.file == path) role = "audio";
        }
        inputs.push_back({{"path", path.string()}, {"role", role}, {"hash", hash}});
    }
    return inputs;
}

json shot_decisions(const std::vector<ShotDecision>& shots) {
    json list = json::array();
    for (const auto& shot : shots)
        list.push_back({{"stage", shot.stage},
                        {"shot", shot.shot},
                        {"key", shot.key},
                        {"reused", shot.reused},
                        {"reasons", shot.reasons}});
    return list;
}

}  // namespace

json make_build_report(const BuildReportInput& input) {
    const Project& project = input.project;
    json stages = json::array();
    for (const auto& [name, fingerprint] : input.stage_fingerprints) {
        const StageSpec* spec = input.pipeline.find(name);
        json stage = {
            {"name", name}, {"type", spec ? spec->type : std::string()}, {"settings", fingerprint}};
        for (const auto& [reported, report] : input.stage_reports)
            if (reported == name && !report.is_null()) stage["report"] = report;
        stages.push_back(stage);
    }
    json outputs = json::array();
    for (const auto& record : input.outputs) outputs.push_back(to_json(record));
    json units = json::array();
    for (const auto& unit : input.plan.units)
        units.push_back({{"name", unit.name},
                         {"cut_start_frame", unit.cut_start_frame},
                         {"frame_count", unit.frame_count},
                         {"start_timecode", unit.start_timecode.to_string()},
                         {"audio_samples", unit.sample_count}});
    return json{
        {"format_version", kBuildReportVersion},
        {"tool", {{"name", "storyreel"}, {"version", kVersion}}},
        {"show",
         {{"name", project.show.name},
          {"frame_rate", project.show.frame_rate.to_string()},
          {"resolution", {project.show.width, project.show.height}},
          {"start_timecode", project.show.start_timecode().to_string()}}},
        {"pipeline", {{"file", input.pipeline.file.string()}, {"name", input.pipeline.name}}},
        {"stages", stages},
        {"units", units},
        {"outputs", outputs},
        {"inputs", input_files(project, input.pipeline, input.hashes)},
        {"shots", shot_decisions(input.shots)},
        {"timing", panel_timing(input.plan, project)},
        {"sequence_timing", sequence_timing_json(project)},
        {"seconds", input.seconds},
    };
}

}  // namespace storyreel
