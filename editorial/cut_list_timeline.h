#pragma once
// One output unit of the cut plan as the cut lists describe it: a run of panel clips on
// the record timeline of the movie they line up with.
//
// Every writer (EDL, OTIO, FCP7 XML, FCPXML) takes this and nothing else, so they all
// describe the same cut, frame for frame.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel {

/// One panel on the record timeline.
struct CutListClip {
    std::string name;              ///< the panel's path, "sq010/sh020/p003" (its clip name)
    std::filesystem::path board;   ///< absolute path of the board image
    std::int64_t record_start = 0; ///< first frame, from the start of the unit
    std::int64_t frames = 0;       ///< held frames
    std::string dialogue;          ///< becomes a marker where the format has them
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

struct CutListTimeline {
    std::string title;  ///< "<show> <unit>"
    std::string unit;   ///< output unit name, "sq010"
    FrameRate rate;
    Timecode start;     ///< record timecode of the first frame (drop-frame when the show is)
    int width = 0, height = 0;
    std::int64_t frame_count = 0;
    std::vector<CutListClip> clips;  ///< in record order, butted, covering frame_count
    CutListMovie movie;
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
