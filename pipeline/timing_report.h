#pragma once
// Reporting timing decisions: the table `storyreel timing` prints, the detected dialogue
// onsets as Audacity label files, and their JSON for build.json.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel {

/// One line per panel: panel, record start timecode, frames, source, detail.
std::string timing_table(const CutPlan& plan);

/// "sq010_dialogue_onsets.txt": where a dialogue sequence's onsets are written.
std::string onset_labels_name(const Sequence& sequence);

/// The detected lines of a dialogue sequence as an Audacity label track, each labelled
/// with the panel cut on it ("(unused)" for lines beyond the dialogue panels): edit and
/// feed back as `timing: {mode: markers, markers: FILE}`.
std::string onset_labels_text(const Sequence& sequence);

/// Words mode: one line per dialogue panel (status, confidence, time, its text) and per
/// stretch of speech that is no panel's line, for `storyreel timing`.
std::string words_status_text(const Sequence& sequence);

/// Writes the onset label file of every dialogue sequence into `dir` (atomically);
/// returns the files written.
std::vector<std::filesystem::path> write_onset_labels(const Project& project,
                                                      const std::filesystem::path& dir);

/// build.json "sequence_timing": per sequence its mode, track and detected lines.
nlohmann::json sequence_timing_json(const Project& project);

}  // namespace storyreel
