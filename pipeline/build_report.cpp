#include "pipeline/build_report.h"

#include <tbb/parallel_for.h>

#include <set>

#include "pipeline/content_hash.h"
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
            {"record_timecode", unit.start_timecode.plus(slot.unit_start_frame).to_string()},
            {"dialogue", slot.panel->dialogue},
            {"notes", slot.panel->notes},
        });
    }
    (void)project;
    return panels;
}

json input_files(const CutPlan& plan, const Project& project, const PipelineSpec& pipeline) {
    std::vector<std::pair<std::string, std::string>> files;  // path, role
    files.emplace_back(project.file.string(), "project");
    files.emplace_back(pipeline.file.string(), "pipeline");
    std::set<std::string> seen;
    for (const auto& slot : plan.slots)
        if (seen.insert(slot.panel->board.string()).second)
            files.emplace_back(slot.panel->board.string(), "board");
    for (const auto& placement : plan.audio)
        if (seen.insert(placement.track->file.string()).second)
            files.emplace_back(placement.track->file.string(), "audio");
    std::vector<std::string> hashes(files.size());
    tbb::parallel_for(std::size_t{0}, files.size(),
                      [&](std::size_t i) { hashes[i] = hash_file(files[i].first); });
    json inputs = json::array();
    for (std::size_t i = 0; i < files.size(); ++i)
        inputs.push_back({{"path", files[i].first}, {"role", files[i].second}, {"hash", hashes[i]}});
    return inputs;
}

}  // namespace

json make_build_report(const BuildReportInput& input) {
    const Project& project = input.project;
    json stages = json::array();
    for (const auto& [name, fingerprint] : input.stage_fingerprints) {
        const StageSpec* spec = input.pipeline.find(name);
        stages.push_back({{"name", name},
                          {"type", spec ? spec->type : std::string()},
                          {"settings", fingerprint}});
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
        {"inputs", input_files(input.plan, project, input.pipeline)},
        {"timing", panel_timing(input.plan, project)},
        {"seconds", input.seconds},
    };
}

}  // namespace storyreel
