#pragma once
// How a sequence's panels are timed (the `timing:` block of a sequence), and what was
// decided for each panel. Plain data: the loader fills the spec, the timing resolver
// (timing_resolver.h) fills the decisions.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel {

enum class TimingMode {
    Explicit,  ///< each panel's own hold (frames / seconds / duration)
    Fit,       ///< scale the holds so the sequence fills the timing track (or a range of it)
    Markers,   ///< cut points from a label / cue / CSV / YAML file
    Dialogue,  ///< dialogue panels cut on speech onsets detected in the timing track
    Words,     ///< dialogue panels cut on their line's first word, found by speech recognition
};

/// "explicit", "fit", "markers", "dialogue", "words".
const char* timing_mode_name(TimingMode mode);

/// Speech detection settings (dialogue mode): short-term energy with hysteresis.
struct SpeechDetectionSettings {
    double window_seconds = 0.010;      ///< energy window (and hop)
    double threshold_db = -40.0;        ///< speech starts above this (dBFS RMS)
    double hysteresis_db = 6.0;         ///< ... and ends below threshold - hysteresis
    double min_silence_seconds = 0.25;  ///< shorter gaps do not end a line
    double min_speech_seconds = 0.10;   ///< shorter bursts are not a line
};

/// Words mode: how each panel's line is found in the track (speech_aligner.h answers).
struct WordsTimingSettings {
    /// A PocketSphinx model folder holding the acoustic model folder and a .dict (e.g.
    /// /usr/share/pocketsphinx/model/en-us, what Debian's pocketsphinx-en-us installs).
    /// Empty: that Debian folder.
    std::filesystem::path model;
    std::string language = "en-us";    ///< the dialogue's language; only en-us ships in Debian
    std::int64_t pre_roll_frames = 2;  ///< a panel is cut this many frames before its first word
    double min_confidence = 0.5;       ///< below this a placement is not trusted as `aligned`
    bool word_labels = false;          ///< the label file also gets one label per word
};

/// How a panel's line was found in words mode.
enum class LineStatus {
    Aligned,      ///< its words were matched in the track (with a confidence)
    Approximate,  ///< the only energy onset between its aligned neighbours
    NotFound,     ///< neither: the panel is fitted between its neighbours
};

/// "aligned", "approximate", "not found".
const char* line_status_name(LineStatus status);

/// One word of a line, placed in seconds of the timing track's own time.
struct AlignedWord {
    std::string text;
    double start = 0, end = 0;
};

/// Where one expected line was found (words mode).
struct LineAlignment {
    LineStatus status = LineStatus::NotFound;
    double start = 0, end = 0;  ///< the first word's start, the last word's end (seconds)
    double confidence = 0;      ///< 0..1; aligned lines only
    std::vector<AlignedWord> words;
};

struct SequenceTiming {
    TimingMode mode = TimingMode::Explicit;
    /// The track timed against (fit, dialogue; markers: its end closes the sequence and
    /// label times are in its own time). Absolute path; empty: the sequence's first
    /// audio entry.
    std::filesystem::path track;
    /// Part of the track to fill, in the track's own seconds (fit, markers, dialogue);
    /// unset: the whole track.
    std::optional<double> range_start, range_end;
    std::filesystem::path markers;  ///< markers mode: .txt (Audacity), .wav, .csv, .yaml/.yml
    std::int64_t min_frames = 1;    ///< default per-panel minimum hold
    std::int64_t max_frames = 0;    ///< default per-panel maximum hold; 0: none
    SpeechDetectionSettings speech;
    WordsTimingSettings words;  ///< words mode only
    SourceLocation where;
};

/// Where a panel's hold came from (reported by `storyreel timing` and build.json).
struct PanelTimingDecision {
    std::string source = "explicit";  ///< explicit, fit, marker, dialogue, between
    std::string detail;               ///< e.g. "marker 'p003' at 4.250 s (labels.txt:3)"
};

/// One stretch of detected speech, in seconds of the timing track's own time.
struct SpeechSpan {
    double start = 0;
    double end = 0;
};

}  // namespace storyreel
