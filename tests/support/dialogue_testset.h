#pragma once
// A scratch dialogue recording with known truth, generated with espeak-ng: the lines of a
// short script spoken by several voices at several rates, some with a pause inside, short
// ones, an optional music bed and door-slam-like transients, and lines left out.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::testing {

/// One line of the script, as a panel carries it and as the generator says it.
struct ScriptLine {
    std::string text;   ///< the panel's dialogue ("..." marks a pause inside the line)
    std::string voice;  ///< espeak-ng voice, e.g. "en-us", "en-gb-x-rp+f3"
    int words_per_minute = 160;
    bool recorded = true;  ///< false: on the panel, absent from the recording
    /// Filled by make_dialogue_track: the first sample above -34 dBFS, and the last, in
    /// seconds of the track (recorded lines only).
    double start_seconds = 0, end_seconds = 0;
};

struct DialogueTrackPlan {
    std::vector<ScriptLine> lines;
    double lead_seconds = 1.0;   ///< silence before the first line
    double gap_seconds = 0.9;    ///< between lines (varied by +-0.3 s, seeded)
    double pause_seconds = 0.8;  ///< the pause at "..." inside a line
    double music_db = 0;         ///< < 0: a music bed this far below the speech's RMS level
    bool transients = false;     ///< a door slam in the gap after every fifth line
    std::uint32_t seed = 7;
};

/// The 34-line script of the accuracy set: three voices (American male, British
/// female, Scottish male) at two rates (140 and 190 words per minute), with pauses inside
/// four lines, five one-word lines and three made-up names. `per_voice` > 0 keeps only
/// that many lines of each voice.
std::vector<ScriptLine> accuracy_script(int per_voice = 0);

/// The voices accuracy_script() uses.
std::vector<std::string> accuracy_voices();

/// Speaks every recorded line (espeak-ng, in `scratch`), lays them out as `plan` says,
/// fills each line's truth and returns the track, 48 kHz mono.
std::vector<float> make_dialogue_track(DialogueTrackPlan& plan,
                                       const std::filesystem::path& scratch);

/// One utterance from espeak-ng, 48 kHz mono.
std::vector<float> speak(const std::string& text, const std::string& voice, int words_per_minute,
                         const std::filesystem::path& scratch);

}  // namespace storyreel::testing
