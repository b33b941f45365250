#pragma once
// One output unit of the cut plan as the cut lists describe it: a run of panel clips on
// the record timeline of the movie they line up with.
//
// Every writer (EDL, OTIO, FCP7 XML, FCPXML) takes this and nothing else, so they all
// describe the same cut, frame for frame.

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel {

/// One panel on the record timeline.
struct CutListClip {
    std::string name;               ///< the panel's path, "sq010/sh020/p003" (its clip name)
    std::filesystem::path board;    ///< absolute path of the board image
    std::int64_t record_start = 0;  ///< first frame, from the start of the unit
    std::int64_t frames = 0;        ///< held frames
    std::string dialogue;           ///< becomes a marker where the format has them
};

/// How the picture passes into or out of a clip, as the movie shows it.
enum class CutListTransitionKind {
    Dissolve,    ///< cross-fade from the clip before into `clip`
    DipToBlack,  ///< the clip before fades to black, then `clip` fades in (black at the middle)
    FadeIn,      ///< `clip` fades in from black (a movie's first clip, or after black)
    FadeOut,     ///< `clip` fades out to black at its end
};

/// A transition on the record timeline. It is centred on `cut` as storyreel renders it:
/// `before` frames before the cut, `after` frames after; the cut itself (every clip's
/// record range) does not move.
struct CutListTransition {
    CutListTransitionKind kind = CutListTransitionKind::Dissolve;
    std::size_t clip = 0;     ///< the clip it leads into (or, for FadeOut, out of)
    std::int64_t cut = 0;     ///< record frame of the cut (a FadeOut: the clip's end)
    std::int64_t before = 0;  ///< frames before the cut
    std::int64_t after = 0;   ///< frames after the cut

    std::int64_t frames() const { return before + after; }
    std::int64_t first_frame() const { return cut - before; }
    /// A dip to black: the frame where the picture is black, between the fade out of the
    /// clip before and the fade in of `clip` (the EDL and FCPXML meet there too).
    std::int64_t black_frame() const { return first_frame() + frames() / 2; }
    /// Between two clips (not from or to black).
    bool between_clips() const {
        return kind == CutListTransitionKind::Dissolve || kind == CutListTransitionKind::DipToBlack;
    }
};

/// The movie the cut lists line up with.
struct CutListMovie {
    std::filesystem::path file;  ///< absolute final path of the movie
    std::string reel;            ///< its reel name (as in its timecode track), ≤ 8 characters
    bool has_audio = false;      ///< the movie carries the mixed temp audio
    /// Frames of slate before the cut's first frame: the movie's media starts that much
    /// earlier (its timecode too), so clips into it start `slate_frames` into the media.
    std::int64_t slate_frames = 0;

    /// Record timecode of the movie's first frame (the slate's, when it has one).
    Timecode media_start(const Timecode& cut_start) const { return cut_start.plus(-slate_frames); }
};

/// A clip or a transition of a cut list's video track.
struct CutListTrackItem {
    std::size_t clip = 0;  ///< the clip (when `transition` is empty)
    std::optional<CutListTransition> transition;
};

/// Where a clip of a track lies on the record timeline once the transitions next to it
/// are placed: formats cut from one cut point to the next (the transitions' cuts), and a
/// clip's media must cover the frames the transitions show of it too.
struct CutListClipSpan {
    std::int64_t cut_in = 0, cut_out = 0;         ///< cut point to cut point
    std::int64_t shown_from = 0, shown_to = 0;    ///< every frame the movie shows of it
    std::int64_t record_start = 0;                ///< the panel's own cut (its marker)
    std::optional<CutListTransition> head, tail;  ///< the transitions into and out of it
    /// The first frame its media must hold: the earlier of what is shown and its own cut.
    std::int64_t media_origin() const { return std::min(shown_from, record_start); }
};

struct CutListTimeline {
    std::string title;  ///< "<show> <unit>"
    std::string unit;   ///< output unit name, "sq010"
    FrameRate rate;
    Timecode start;  ///< record timecode of the first frame (drop-frame when the show is)
    int width = 0, height = 0;
    std::int64_t frame_count = 0;
    std::vector<CutListClip> clips;              ///< in record order, butted, covering frame_count
    std::vector<CutListTransition> transitions;  ///< in record order, never overlapping
    CutListMovie movie;

    /// The transition leading into clip `index` (Dissolve, DipToBlack, FadeIn), or null.
    const CutListTransition* transition_into(std::size_t index) const;
    /// The FadeOut at the end of clip `index`, or null.
    const CutListTransition* fade_out_of(std::size_t index) const;
    /// The clips in record order with the transitions between and around them. Formats
    /// put at most one transition between two clips, so a fade out directly followed by a
    /// transition into the next clip keeps only the latter.
    std::vector<CutListTrackItem> track_items() const;
    /// As track_items(), but a dip to black is what every reader shows as one: the clip
    /// before fades out and `clip` fades in (FadeOut then FadeIn), meeting at black_frame().
    std::vector<CutListTrackItem> track_items_through_black() const;
    /// The span of the clip at `items[index]` (a clip item) among `items`.
    CutListClipSpan clip_span(const std::vector<CutListTrackItem>& items, std::size_t index) const;
};

/// The clips of `unit`, in cut order, with their place in the unit.
CutListTimeline make_cut_list_timeline(const CutPlan& plan, const OutputUnit& unit,
                                       const ShowSettings& show, CutListMovie movie);

/// A reel name as CMX3600 and the MOV timecode track take it: letters, digits and '_'
/// (anything else becomes '_'), at most 8 characters.
std::string editorial_reel_name(const std::string& text);

/// "file:///abs/path%20with%20space.png": an absolute path as a file URL, percent-encoded.
std::string file_url(const std::filesystem::path& absolute_path);

/// The path of a "file://" URL (percent-decoded); a plain path is returned as it is.
std::filesystem::path path_from_url(const std::string& url);

}  // namespace storyreel
