#pragma once
// What words timing does with the lines the recogniser could not place, and with the
// speech it found no line for: plain logic over the aligned lines and the energy onsets.

#include <vector>

#include "pipeline/timing_spec.h"

namespace storyreel {

/// Places each run of NotFound lines whose aligned neighbours enclose exactly as many
/// energy onsets as the run has lines: each becomes Approximate at its onset (the span of
/// speech it starts). Runs with more or fewer onsets stay NotFound: guessing there would
/// shift the panels after them.
void place_unaligned_lines(std::vector<LineAlignment>& lines,
                           const std::vector<SpeechSpan>& speech);

/// Speech spans of at least `min_seconds` that overlap no found (aligned or approximate)
/// line: lines in the recording that are on no panel.
std::vector<SpeechSpan> unmatched_speech(const std::vector<LineAlignment>& lines,
                                         const std::vector<SpeechSpan>& speech, double min_seconds);

}  // namespace storyreel
