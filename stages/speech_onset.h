#pragma once
// Where the sound of a line starts, near where the recogniser says its first word starts.
// PocketSphinx's word starts are on 10 ms frames and run late on soft first phones (an
// onset "h", a fricative): the panel should cut where the line becomes audible.

#include <cstdint>
#include <optional>
#include <vector>

namespace storyreel {

/// The start (seconds) of the stretch of sound that contains `start`, or follows it before
/// `until` (a word does not start in silence), looking back at most 200 ms, in `samples`
/// (16 kHz mono, speech_audio.h). Sound is
/// measured on the sample-to-sample difference (which keeps speech's upper frequencies and
/// damps a low music bed) against the median level of the 400 ms before the search window.
/// nullopt when there is no sound between `start` and `until`, or when the sound there began
/// more than 200 ms before `start`: the line would start in silence or inside other speech,
/// so the recogniser placed it wrong.
std::optional<double> sound_onset_near(const std::vector<std::int16_t>& samples, double start,
                                       double until);

}  // namespace storyreel
