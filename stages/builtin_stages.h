#pragma once

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Registers every stage type storyreel ships, one line each.
void register_builtin_stages(StageRegistry& registry);

/// A registry with the built-in stages.
StageRegistry builtin_stage_registry();

}  // namespace storyreel
