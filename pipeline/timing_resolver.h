#pragma once
// Turns every sequence's timing spec into whole-frame holds, between loading the project
// and planning the cut. Audio is measured through an AudioAnalyzer (decoding happens
// here, before any rendering), and every decision is recorded on its panel.

#include "pipeline/audio_analyzer.h"
#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

namespace storyreel {

/// Sets Panel::frames and Panel::timing for every panel (and Sequence::detected_lines in
/// dialogue sequences; a timing track without an offset is placed so the timed range
/// starts with the sequence). Problems go to `diagnostics`, naming the sequence and what
/// to change. `analyzer` may be null when no sequence needs audio.
void resolve_timing(Project& project, AudioAnalyzer* analyzer, Diagnostics& diagnostics);

}  // namespace storyreel
