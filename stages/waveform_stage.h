#pragma once
// waveform: a PNG per output unit of the mixed sound, with the panel boundaries drawn on
// it, written next to the movies — to see at a glance whether cuts fall on the words.

#include "pipeline/stage_registry.h"

namespace storyreel {

StageType waveform_stage_type();

}  // namespace storyreel
