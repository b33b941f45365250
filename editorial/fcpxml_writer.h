#pragma once
// FCPXML 1.10 (Final Cut Pro 10.6+, Resolve), valid against Apple's FCPXMLv1_10.dtd: a
// library > event > project > sequence whose spine holds one still `video` per panel
// (its dialogue as a marker) and, connected below the first, the movie's audio.
// Times are exact rational seconds ("1001/24000s"); offsets include the sequence's tcStart.
// Transitions are spine `transition`s with Final Cut's Cross Dissolve; as the DTD says, a
// transition overlaps the end of the element before it and the start of the one after, so
// the two panels of a dissolve extend past their cut by its frames, and black is a `gap`
// that a fade dissolves into or out of (a dip to black: fade out, gap, fade in).

#include <string>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// The document text (UTF-8, built with libxml2).
std::string write_fcpxml(const CutListTimeline& timeline);

/// `frames` at `rate` as FCPXML time: "0s", "5s", "1001/24000s" (reduced).
std::string fcpxml_time(std::int64_t frames, FrameRate rate);

}  // namespace storyreel
