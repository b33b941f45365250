#pragma once
// Final Cut Pro 7 XML (xmeml version 5), as Premiere Pro and Resolve import it: one
// sequence with a video track of panel clipitems (each a still board file, a marker
// carrying its dialogue) and, when the movie has sound, an audio track holding the
// movie's audio. Frames are counted at the sequence rate (timebase + ntsc flag).

#include <string>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// The document text (UTF-8, built with libxml2).
std::string write_xmeml(const CutListTimeline& timeline);

}  // namespace storyreel
