#pragma once
// cut_lists: writes the editorial cut lists of each output unit (CMX3600 EDL, OTIO, Final
// Cut Pro 7 XML, FCPXML 1.10) lined up frame for frame with the movie of an encode stage.

#include "pipeline/stage_registry.h"

namespace storyreel {

/// An output stage that takes no pixels. Params: `formats` (any of edl, otio, xmeml,
/// fcpxml; default all), `movie` (the encode stage whose movie the lists point at;
/// default the pipeline's only encode stage), `filename` (template with {unit} {show}
/// {stage}; default {unit}). Lists are written under temporary names and take their
/// final names only when the whole build succeeded, like movies; build.json records them
/// with kind "cut_list".
StageType cut_lists_stage_type();

}  // namespace storyreel
