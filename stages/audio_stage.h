#pragma once
// audio: decodes every temp track, places it at its offset and mixes the cut's sound.

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Renders the audio of the selected part of the cut once, at 48 kHz stereo float,
/// trimmed or padded with silence to exactly the cut's length.
StageType audio_stage_type();

}  // namespace storyreel
