#pragma once
// The OpenJD engine (AWS Deadline Cloud): an Open Job Description template
// (jobtemplate-2023-09) with a "Shard" step whose INT task parameter runs 1..N and an
// "Assemble" step depending on it. Paths are job parameters (PATH, so a farm can map them
// between operating systems) defaulting to this submission's absolute paths.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "farm/farm_job.h"

namespace storyreel::farm {

/// The template as JSON (the specification accepts JSON or YAML).
nlohmann::ordered_json make_openjd_template(const FarmJob& job);

/// Writes SPOOL/openjd/template.json (a Deadline Cloud job bundle folder) and prints how
/// to check and submit it.
int submit_openjd_job(const FarmJob& job, std::ostream& out);

}  // namespace storyreel::farm
