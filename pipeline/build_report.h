#pragma once
// build.json: every output and every input of a build, machine-readable.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage.h"

namespace storyreel {

/// Current version of build.json's layout (`format_version`).
inline constexpr int kBuildReportVersion = 1;

struct BuildReportInput {
    const Project& project;
    const PipelineSpec& pipeline;
    const CutPlan& plan;
    const std::vector<OutputRecord>& outputs;
    std::vector<std::pair<std::string, std::string>> stage_fingerprints;
    const InputHashes& hashes;
    const std::vector<ShotDecision>& shots;
    double seconds = 0;
    std::vector<std::pair<std::string, nlohmann::json>> stage_reports = {};
};

/// The report; hashes every input file it lists.
nlohmann::json make_build_report(const BuildReportInput& input);

/// The JSON form of one output record.
nlohmann::json to_json(const OutputRecord& record);

}  // namespace storyreel
