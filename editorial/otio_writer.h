#pragma once
// OpenTimelineIO (.otio JSON) of one cut-list timeline, in the schema versions OTIO 0.15+
// writes (Timeline.1, Stack.1, Track.1, Clip.2, ExternalReference.1, Marker.2,
// RationalTime.1, TimeRange.1, Gap.1, Transition.1).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// The cut: a video track of panel clips (each an ExternalReference to its board image,
/// a marker carrying its dialogue) with the movie's transitions between them
/// (SMPTE_Dissolve, in_offset/out_offset the frames before/after the cut; fades are
/// dissolves at the track's edges, black between clips a Custom_Transition "Dip to Black"
/// or "Fade Out"/"Fade In") and, when the movie has sound, an audio track holding the
/// movie's audio; global_start_time at the start timecode.
nlohmann::json make_otio_cut_timeline(const CutListTimeline& timeline);

/// The movie itself: one video track whose single clip is the movie (and its audio
/// track), so editorial can cut the movie in as one piece. The movie is referenced by
/// file name, relative to the .otio written beside it.
nlohmann::json make_otio_movie_timeline(const CutListTimeline& timeline);

/// A stretch of a movie whose timecode is the record timecode (a published movie).
struct OtioMovieEvent {
    std::string name;            ///< the clip's name (a panel)
    std::int64_t record_in = 0;  ///< timecode frames; the same in the movie
    std::int64_t frames = 0;
    std::string comment;      ///< a marker over the clip, when not empty
    bool with_audio = false;  ///< also on the audio track
};

/// Selected events of one movie (`media`: its file name, relative to the .otio) at their
/// record places, gaps between: a video track, and an audio track of the events
/// `with_audio` when there are any. For cut lists of only the changed events.
nlohmann::json make_otio_movie_events_timeline(const std::string& title, const Timecode& start,
                                               const std::string& media,
                                               const std::vector<OtioMovieEvent>& events);

/// OTIO's rate for an exact frame rate (23.976 is written as 24000/1001 in a double).
double otio_rate(FrameRate rate);

}  // namespace storyreel
