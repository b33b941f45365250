#pragma once
// CMX3600 EDL of one cut-list timeline.
//
// One video event per panel, then the movie's audio as one AA event. Events refer to the
// movie they line up with: the reel is the movie's reel and the source timecode is the
// movie's own timecode, equal to the record timecode, so an editor can conform the EDL
// against the movie; `* FROM CLIP NAME:` names the panel ("sq010/sh020/p003").
// Timecode is drop-frame when the show's is (29.97/59.94) and FCM says so.

#include <string>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// The EDL text (lines end in "\n").
std::string write_cmx3600_edl(const CutListTimeline& timeline);

/// One CMX3600 event line: "001  REEL     V     C        SRC_IN SRC_OUT REC_IN REC_OUT".
/// `channel` is "V", "A", "A2", "AA", "B" ... (at most 5 characters).
std::string cmx3600_event_line(int event, const std::string& reel, const std::string& channel,
                               const Timecode& source_in, const Timecode& source_out,
                               const Timecode& record_in, const Timecode& record_out);

}  // namespace storyreel
