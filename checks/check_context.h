#pragma once
// What a rule reads: the cut plan, the project's text, the linked script, the boards'
// signatures and what the audio stages measured. No libav or OIIO here: measurements
// arrive through the engine's injected AudioAnalyzer or as values the stages computed.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "checks/check_settings.h"
#include "checks/finding.h"
#include "pipeline/audio_analyzer.h"
#include "pipeline/board_history.h"
#include "pipeline/board_signature.h"
#include "pipeline/cut_plan.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/screenplay.h"

namespace storyreel::checks {

/// A screenplay and which of its scenes each sequence boards.
struct LinkedScript {
    Screenplay screenplay;
    /// Per project sequence (by index): the index of its scene in screenplay.scenes, or -1.
    std::vector<int> scene_of_sequence;
};

/// Links sequences to script scenes: a sequence's `script_scene` (Storyboarder's scene
/// id, an FDX heading's number, or the YAML `scene:` key: a scene number, id or heading)
/// names its scene; without one, a sequence whose name is a scene number ("12",
/// "sc12", "scene_12") or whose name's digits are ("sq012" boards scene 12) is linked.
LinkedScript link_script(const Project& project, Screenplay screenplay);

struct CheckContext {
    const Project& project;
    const PipelineSpec* pipeline = nullptr;  ///< null: no stage settings (caption burn-in unknown)
    const CutPlan& plan;
    const CheckSettings& settings;
    const LinkedScript* script = nullptr;  ///< null: no script
    /// Board signatures by board path (boards without one are left out of the board rules).
    std::map<std::filesystem::path, BoardSignature> signatures;
    std::map<std::filesystem::path, std::string> board_hashes;  ///< content hashes by board path
    AudioAnalyzer* audio = nullptr;  ///< null: audio lengths and speech are not checked
    /// The boards of the units' earlier published versions (null: no publish root given).
    const BoardHistory* history = nullptr;
    /// The mix's true peak per output unit, as the audio stage measured it (dBTP).
    std::vector<std::pair<std::string, double>> unit_true_peaks;

    /// Seconds of `frames` at the show's rate.
    double seconds(std::int64_t frames) const;
    /// Record timecode of a cut frame in its output unit.
    std::string record_timecode(const PanelSlot& slot, std::int64_t frames_into_panel = 0) const;
    /// A finding about one panel, its place filled in.
    Finding at_panel(const PanelSlot& slot, const std::string& rule, Severity severity) const;
    /// A finding about a shot (its first panel's place).
    Finding at_shot(const PanelSlot& first, const std::string& rule, Severity severity) const;
    /// A finding about a sequence (its first panel's place; none when not in the plan).
    Finding at_sequence(const Sequence& sequence, const std::string& rule, Severity severity) const;
    /// The plan's slots of a sequence, in cut order.
    std::vector<const PanelSlot*> slots_of(const Sequence& sequence) const;
    /// True when a burn-in stage of the pipeline shows the dialogue as a subtitle.
    bool dialogue_burned_in() const;
};

/// "3.2", "0.83": a number as findings print it (at most 2 decimals, no trailing zeros).
std::string format_number(double value);

}  // namespace storyreel::checks
