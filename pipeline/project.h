#pragma once
// The project model: show settings, the cut (sequences -> shots -> panels) and temp audio.
//
// A Project is plain data, already validated and with every panel's hold converted to
// whole frames. Times in the cut are frame numbers from the start of the whole cut.

#include <yaml-cpp/yaml.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/frame_rate.h"
#include "pipeline/input_limits.h"
#include "pipeline/look.h"
#include "pipeline/timecode.h"
#include "pipeline/timing_spec.h"

namespace storyreel {

/// Current version of the project file format (`storyreel:` key).
inline constexpr int kProjectFormatVersion = 1;

struct ShowSettings {
    std::string name;
    FrameRate frame_rate{24, 1};
    int width = 1920;
    int height = 1080;
    std::int64_t start_timecode_frames = 0;          ///< frames since 00:00:00:00 at frame_rate
    SourceLocation start_timecode_where;             ///< its `start_timecode:` key (or the show's)
    bool drop_frame = false;                         ///< timecode written drop-frame (29.97/59.94)
    std::array<float, 3> background{0.f, 0.f, 0.f};  ///< RGB 0..1, behind alpha and letterbox

    Timecode start_timecode() const {
        return Timecode(start_timecode_frames, frame_rate, drop_frame);
    }
};

/// A sound that belongs to a panel (Storyboarder's per-board audio): it starts at the
/// panel's first frame (plus offset) and may run past the panel's end.
struct PanelAudioClip {
    std::filesystem::path file;       ///< absolute path
    std::int64_t offset_samples = 0;  ///< from the panel's first frame, at 48 kHz
    double gain_db = 0.0;
    std::int64_t fade_in_samples = 0;
    std::int64_t fade_out_samples = 0;
    bool mute = false;
    SourceLocation where;
};

/// An editorial cut (CMX3600 EDL or OTIO) the panels are re-timed and re-ordered to before
/// planning (`cut:` key; applied by BuildRequest::apply_cuts, which editorial/ provides).
struct CutReference {
    std::filesystem::path file;  ///< absolute path
    SourceLocation where;        ///< the `cut:` key
};

/// A person's decision about a production check on one panel (`ack: [rule]`): the
/// finding is still reported, as acknowledged, instead of nagging every night.
struct Acknowledgement {
    std::string rule;    ///< a check rule id (checks/), validated by the checks
    std::string reason;  ///< optional: why it is fine
    SourceLocation where;
};

/// A `checks:` block as written (project or pipeline); the checks library reads and
/// validates it (the engine does not know the rules).
struct ChecksBlock {
    YAML::Node node;   ///< undefined when absent
    std::string file;  ///< where it was read (for positions in messages)
};

struct Panel {
    std::string name;
    std::filesystem::path board;  ///< absolute path of the board image
    std::int64_t frames = 0;      ///< held frames (> 0), after timing was resolved
    bool hold_given = false;      ///< the YAML gave frames/seconds/duration
    std::int64_t min_frames = 0;  ///< shortest hold a fit may give it; 0: the sequence's
    std::int64_t max_frames = 0;  ///< longest hold a fit may give it; 0: the sequence's
    PanelTimingDecision timing;   ///< where `frames` came from
    std::string dialogue;
    std::string action;  ///< what happens (Storyboarder's action text)
    std::string notes;
    std::vector<PanelAudioClip> audio;  ///< sounds that start at this panel
    PanelLook look;                     ///< camera move, transition in, fade out (pipeline/look.h)
    std::vector<Acknowledgement> acks;  ///< production checks a person accepted here
    SourceLocation where;               ///< where the panel is declared (for messages)
};

struct Shot {
    std::string name;
    std::vector<Panel> panels;
    SourceLocation where;
};

/// A temp audio file placed in the cut.
/// The range of an audio entry's `gain_db`: from inaudible to a level any real temp track
/// could need; beyond it the mix only clips (or, with NaN, falls silent).
inline constexpr double kMinGainDb = -120.0;
inline constexpr double kMaxGainDb = 48.0;

/// A temp audio file placed in the cut. Every field that changes the mixed samples must also
/// enter the audio stage's mix key (stages/audio_stage.cpp), which names the cached mix.
struct AudioTrack {
    std::filesystem::path file;  ///< absolute path
    std::int64_t offset_samples =
        0;                      ///< start in the cut at 48 kHz (may be negative: trims the head)
    bool offset_given = false;  ///< `offset` / `offset_frames` was written
    double gain_db = 0.0;
    std::string role = "dialogue";      ///< dialogue, music, effects (reports; solo/mute)
    std::int64_t fade_in_samples = 0;   ///< from the file's first sample
    std::int64_t fade_out_samples = 0;  ///< up to the file's last sample
    bool mute = false;
    bool solo = false;  ///< when any track is solo, only solo tracks play
    SourceLocation where;
};

/// A line of speech found in a dialogue sequence's timing track, and the panel cut on it
/// (empty when there were more lines than dialogue panels).
struct DetectedLine {
    SpeechSpan span;    ///< seconds in the timing track's own time
    std::string panel;  ///< "sh010/p002"
    /// Words mode: how the line was found, its text, confidence (aligned) and words;
    /// `unmatched` marks speech in the track that is no panel's line.
    std::optional<LineStatus> status;
    bool unmatched = false;
    std::string text;
    double confidence = 0;
    double cut_seconds = 0;  ///< where its panel is cut: the first word minus the pre-roll
    std::vector<AlignedWord> words;
};

struct Sequence {
    std::string name;
    std::vector<Shot> shots;
    std::vector<AudioTrack> audio;    ///< offsets relative to the sequence start
    std::optional<CutReference> cut;  ///< the editor's cut of this sequence
    SequenceTiming timing;
    std::vector<DetectedLine> detected_lines;  ///< dialogue mode: filled by the resolver
    /// The script scene this sequence boards: a Storyboarder project's scene id or heading,
    /// or the YAML `scene:` key (a scene number or heading); empty: matched by name.
    std::string script_scene;
    SourceLocation where;
};

struct Project {
    int format_version = kProjectFormatVersion;
    std::filesystem::path file;  ///< the project YAML (absolute)
    ShowSettings show;
    std::vector<Sequence> sequences;
    std::vector<AudioTrack> audio;    ///< offsets relative to the start of the whole cut
    std::optional<CutReference> cut;  ///< the editor's cut of the whole project
    InputLimits limits;               ///< the `limits:` block, or the defaults
    /// The screenplay (.fountain/.fdx) the cut boards: a Storyboarder project's script or
    /// the YAML `script:` key (absolute); empty when none.
    std::filesystem::path script;
    ChecksBlock checks;  ///< the project's `checks:` block

    std::filesystem::path directory() const { return file.parent_path(); }
};

/// Sample rate of every audio output (and of AudioTrack offsets).
inline constexpr int kAudioSampleRate = 48000;

/// "sq010/sh020/p003": how panels are named in messages and reports.
std::string panel_path(const Sequence& sequence, const Shot& shot, const Panel& panel);

}  // namespace storyreel
