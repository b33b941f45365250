#pragma once
// The boards of a cut's earlier published versions, for the production checks.

#include <cstddef>
#include <filesystem>
#include <string>

#include "pipeline/board_history.h"
#include "pipeline/cut_plan.h"

namespace storyreel::publish {

/// For every unit of `plan`, the newest `depth` versions published under ROOT/<show>/<unit>
/// with each panel's board hash, read from their manifests. A unit never published has
/// none; a manifest that cannot be read ends that unit's history there (`pull` and `cuts`
/// report it), since the checks only inform.
BoardHistory read_board_history(const std::filesystem::path& root, const std::string& show,
                                const CutPlan& plan, std::size_t depth);

}  // namespace storyreel::publish
