#pragma once
// How the readers editors' tools use would read storyreel's cut lists, written from their
// source and the formats' specifications, not from storyreel's writers: OpenTimelineIO's
// adapters (otio-cmx3600-adapter cmx_3600.py, otio-fcp-adapter fcp_xml.py,
// otio-fcpx-xml-adapter fcpx_xml.py, as of OTIO 0.17/0.18). The OTIO Python package cannot
// be installed here (no pip; Debian 12 has no python3-opentimelineio), so the rules each
// adapter applies (what it refuses, how it places clips, markers and transitions) are
// re-stated in C++. Each function's comment names the adapter code it follows.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/frame_rate.h"

namespace storyreel::testing {

/// One item of a track as an OTIO reader builds it.
struct ReadItem {
    enum class Kind { Clip, Gap, Transition } kind = Kind::Clip;
    std::string name;
    std::string reel;            ///< EDL: the reel ("BL" is black)
    std::int64_t record_in = 0;  ///< place on the track (frames from the track's start)
    std::int64_t duration = 0;   ///< 0 for transitions
    std::int64_t source_in = 0;  ///< first frame of the clip's media range
    std::int64_t in_offset = 0, out_offset = 0;  ///< transitions
    std::string alignment;                       ///< FCP 7 transitions
    /// Markers: where each falls on the track (record frames), with its name.
    std::vector<std::pair<std::int64_t, std::string>> markers;
};

struct ReadTrack {
    std::string name;
    std::vector<ReadItem> items;
    std::int64_t start = 0;  ///< EDL: record frame of the track's first item
};

/// What a reader made of a file, and every error it would have raised (an adapter stops at
/// the first; these functions go on, to report all).
struct ReadTimeline {
    std::string title;
    std::vector<ReadTrack> tracks;
    std::vector<std::string> errors;

    const ReadTrack* track(const std::string& name) const;
};

/// otio-cmx3600-adapter's EDLParser/ClipHandler/CommentHandler: blank lines dropped;
/// event lines of 8 (cut) or 9 (transition) fields; a repeated event number is the
/// transition line; the clip is named by "* FROM CLIP NAME:", then "* TO CLIP NAME:";
/// source and record durations must match; record ins may not overlap the track; a
/// transition may not be first on its track. Tracks: V, and A1/A2 for "AA". "* LOC:"
/// comments become the clip's markers (at the timecode written, in frames) when they match
/// the adapter's pattern, which takes ':' timecodes only.
ReadTimeline read_edl_like_otio(const std::string& text, FrameRate rate);

/// otio-fcp-adapter's FcpXml parser for the first video track of the first sequence:
/// clipitems at start/end, or at a neighbouring transitionitem's cut point (alignment)
/// when -1; source start = in + the offset of that cut into the transition; markers are
/// media frames of the clip. Also checks each clip's <file> holds its in/out.
ReadTimeline read_xmeml_like_otio(const std::filesystem::path& file);

/// otio-fcpx-xml-adapter's FcpxXml parser: every video/audio/ref-clip/asset-clip under
/// the sequence is a clip whose timing element is its nearest clip/asset-clip/ref-clip
/// ancestor-or-self (none: the adapter crashes, recorded as an error); offsets and
/// durations are converted with its float arithmetic and integer frame rate.
ReadTimeline read_fcpxml_like_otio(const std::filesystem::path& file);

/// The frames otio-fcpx-xml-adapter's _number_of_frames() gives an FCPXML time.
std::int64_t fcpx_adapter_frames(const std::string& time, const std::string& frame_duration);

}  // namespace storyreel::testing
