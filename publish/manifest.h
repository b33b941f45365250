#pragma once
// manifest.json: what one published version of a sequence is made of.
//
// A manifest lists the inputs with their content hashes, the timing of every panel (frames
// and record timecodes), the audio, the stages with their versions and parameters, the
// tool version, and every published file with its SHA-256. Its `fingerprint` hashes only
// what determines the cut (boards' content, holds, order, dialogue, audio, show and stage
// settings), so two builds of an unchanged sequence have the same fingerprint even when
// unrelated parts of the project file changed.

#include <nlohmann/json.hpp>
#include <string>

#include "pipeline/build.h"

namespace storyreel::publish {

/// Layout version of manifest.json (`format_version`).
inline constexpr int kManifestVersion = 1;

/// The manifest of one output unit (a sequence) of a finished build, without the fields
/// only known when it is published (`version`, `previous_version`, `created`, `outputs`).
/// `report` is the build's build.json document (input hashes come from it).
nlohmann::json describe_unit(const ValidatedBuild& build, const OutputUnit& unit,
                             const nlohmann::json& report);

/// Hash of the parts of a manifest that determine the cut ("xxh128:<hex>").
std::string cut_fingerprint(const nlohmann::json& manifest);

/// The JSON form of a stage's YAML params (scalars as text).
nlohmann::json params_to_json(const YAML::Node& params);

}  // namespace storyreel::publish
