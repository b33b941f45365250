#pragma once
// burnins: adds burn-in text (and an optional slate) to the conformed frames of the
// outputs that need it (pipeline YAML; configs/README.md lists the keys).

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Takes "frame" and gives "frame": the same clean picture plus the panel's burn-ins,
/// whose fixed text is rendered here once per panel (in parallel); output stages lay it
/// over every frame, and draw per-frame fields (counters, timecode) frame by frame.
StageType burnin_stage_type();

}  // namespace storyreel
