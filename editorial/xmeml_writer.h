#pragma once
// Final Cut Pro 7 XML (xmeml version 5), as Premiere Pro and Resolve import it: one
// sequence with a video track of panel clipitems (each a still board file, a marker
// carrying its dialogue) and, when the movie has sound, an audio track holding the
// movie's audio. Frames are counted at the sequence rate (timebase + ntsc flag).
// Transitions are transitionitems between the clipitems as FCP 7 writes them: start/end
// of the overlap, an alignment (center, start, end; start-black / end-black for fades
// from / to black), "Cross Dissolve" or, for a dip to black, "Fade In Fade Out Dissolve";
// a clipitem whose cut a transition decides has start (end) -1.

#include <string>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// The document text (UTF-8, built with libxml2).
std::string write_xmeml(const CutListTimeline& timeline);

/// "file://localhost/abs/path": an absolute path as FCP 7 writes it in `pathurl`.
std::string fcp7_url(const std::filesystem::path& path);

}  // namespace storyreel
