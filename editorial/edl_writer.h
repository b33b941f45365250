#pragma once
// CMX3600 EDL of one cut-list timeline.
//
// One video event per panel, then the movie's audio as one AA event. Events refer to the
// movie they line up with: the reel is the movie's reel and the source timecode is the
// movie's own timecode, equal to the record timecode, so an editor can conform the EDL
// against the movie; `* FROM CLIP NAME:` names the panel ("sq010/sh020/p003").
// Timecode is drop-frame when the show's is (29.97/59.94) and FCM says so.
//
// Transitions follow CMX3600: a dissolve is one event of two lines, the outgoing source as
// a zero-length cut line and the incoming source as a `D nnn` line whose record range
// starts where the dissolve starts (the cut minus the frames before it) and runs to the
// end of the incoming clip; `* FROM CLIP NAME:` / `* TO CLIP NAME:` name both. Black is
// the reel `BL`: a fade out dissolves to BL, a fade in dissolves from BL, and a dip to
// black is both, meeting at its middle. Record timecodes stay frame-exact and the cut
// keeps its length.
//
// A panel's dialogue (a marker in the other lists) is an Avid locator comment,
// `* LOC: 01:00:05:12 YELLOW  text`, at the record timecode of the panel's own cut (not of
// its event's first frame, which a dissolve moves earlier), after the event it falls in.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// An EDL's text and how many events it numbers.
struct EdlText {
    std::string text;
    std::size_t events = 0;
};

/// The most events a CMX3600 EDL numbers (001..999).
inline constexpr std::size_t kCmx3600MaxEvents = 999;

/// The EDL text (lines end in "\n"). Throws std::invalid_argument past 999 events.
std::string write_cmx3600_edl(const CutListTimeline& timeline);

/// The EDL as one text or, past 999 events, as several, each at most 999 events, split at
/// an event boundary (never inside a dissolve), each a complete EDL of its record range
/// (its own TITLE "... part 2 of 3", lead-in cut and audio event); record timecodes are
/// the unit's, so the parts line up one after the other.
std::vector<EdlText> write_cmx3600_edl_parts(const CutListTimeline& timeline);

/// How many events write_cmx3600_edl() writes (for validation, before any build).
std::size_t cmx3600_edl_event_count(const CutListTimeline& timeline);

/// One event of an EDL: a cut, or a dissolve from `outgoing_reel` (a zero-length cut line
/// at `outgoing_source` first) into `reel`.
struct EdlEvent {
    std::string reel;
    std::string channel = "V";
    Timecode source_in, source_out, record_in, record_out;
    std::int64_t dissolve_frames = 0;   ///< 0: a cut
    std::string outgoing_reel;          ///< dissolves: the reel dissolved from
    Timecode outgoing_source;           ///< dissolves: its source timecode at the dissolve
    std::vector<std::string> comments;  ///< lines after the event, without the "* "
};

/// The EDL text of `events` (numbered in order; a dissolve's two lines share a number).
/// A track that opens with a dissolve gets a zero-length cut of the outgoing reel first,
/// so OTIO's cmx_3600 reader takes it. TITLE and comments are written in 7-bit ASCII.
/// Throws std::invalid_argument past 999 events or for reels CMX3600 cannot hold.
std::string write_cmx3600(const std::string& title, bool drop_frame,
                          const std::vector<EdlEvent>& events);

/// The events write_cmx3600() numbers for `events` (lead-in cuts included).
std::size_t cmx3600_event_count(const std::vector<EdlEvent>& events);

/// The picture events of a cut-list timeline, in record order.
std::vector<EdlEvent> cmx3600_picture_events(const CutListTimeline& timeline);

/// One CMX3600 event line: "001  REEL     V     C        SRC_IN SRC_OUT REC_IN REC_OUT",
/// or with `dissolve_frames` > 0 "001  REEL     V     D    012 SRC_IN ...".
/// `channel` is "V", "A", "A2", "AA", "B" ... (at most 5 characters).
std::string cmx3600_event_line(int event, const std::string& reel, const std::string& channel,
                               const Timecode& source_in, const Timecode& source_out,
                               const Timecode& record_in, const Timecode& record_out,
                               std::int64_t dissolve_frames = 0);

/// An Avid locator comment (without the leading "* "): "LOC: " + the record timecode +
/// " " + the colour padded to 7 columns + " " + the text, as Avid Media Composer writes it
/// and OpenTimelineIO's cmx_3600 adapter reads it. `colour` is one of Avid's eight (RED,
/// GREEN, BLUE, CYAN, MAGENTA, YELLOW, BLACK, WHITE); the text is written in 7-bit ASCII on
/// one line, cut to fit the 80 columns of a CMX3600 line ("..." at the end when cut).
/// Throws std::invalid_argument for another colour.
std::string cmx3600_locator(const Timecode& at, const std::string& colour, const std::string& text);

/// The colour of dialogue locators.
inline constexpr const char* kDialogueLocatorColour = "YELLOW";

/// The reel CMX3600 EDLs use for black.
inline constexpr const char* kBlackReel = "BL";

}  // namespace storyreel
