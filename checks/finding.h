#pragma once
// The production checks' results as plain data: findings (what will hurt later, panel by
// panel) and the breakdown (a table per scene), with their versioned JSON form.
//
// This is the interface of `storyreel check --json`, build.json `checks`/`breakdown` and
// the published manifest; a report stage renders it. docs/checks.md and
// docs/checks.schema.json describe the JSON; kChecksFormatVersion changes when a field's
// meaning does (new fields may appear without it).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace storyreel::checks {

/// Version of the JSON written by to_json(CheckReport) (`format_version`).
inline constexpr int kChecksFormatVersion = 1;

enum class Severity { Info = 0, Warning = 1, Error = 2 };

/// "info", "warning", "error".
const char* severity_name(Severity severity);
std::optional<Severity> parse_severity(const std::string& text);

/// One thing that will hurt later, at one place of the cut.
struct Finding {
    std::string rule;  ///< rule id (checks/rule_registry.h)
    Severity severity = Severity::Warning;
    std::string sequence;            ///< empty for findings about the script alone
    std::string shot;                ///< empty for sequence-level findings
    std::string panel;               ///< empty for shot- or sequence-level findings
    std::string record_in;           ///< record timecode of the place (HH:MM:SS:FF); may be empty
    std::int64_t cut_frame = -1;     ///< first frame in the whole cut (ordering); -1: none
    std::optional<double> measured;  ///< what was measured, in `unit`
    std::optional<double> limit;     ///< the threshold it was held to, in `unit`
    std::string unit;                ///< "words/s", "s", "frames", "chars", "x", "dBTP", ...
    std::string message;             ///< what is wrong, in an artist's words
    std::string hint;                ///< what to do about it
    bool acknowledged = false;       ///< a person accepted it (`ack:`)
    std::string ack_reason;

    /// "sq010/sh020/p003", "sq010/sh020", "sq010" or "" (the script).
    std::string where() const;
};

/// A production flag raised in a scene (VFX, stunts, animals...), with the evidence.
struct BreakdownFlag {
    std::string flag;                ///< e.g. "vfx"
    std::string panel;               ///< "sq010/sh020/p003"; empty when raised by the script
    std::vector<std::string> words;  ///< the words that raised it
};

/// One scene (a sequence, or a script scene without boards) as a first AD reads it.
struct SceneBreakdown {
    std::string sequence;  ///< empty for a script scene without boards
    int scene_number = 0;  ///< in the script; 0 when not linked to one
    std::string heading;   ///< slugline as written; empty without a script
    std::string int_ext;   ///< "INT", "EXT", "INT/EXT", "EST" or ""
    std::string location;
    std::string time_of_day;  ///< "DAY", "NIGHT", "DAWN", "DUSK", ... or ""
    std::vector<std::string> characters;
    std::vector<BreakdownFlag> flags;
    int boards = 0;
    int shots = 0;
    int camera_moves = 0;
    int transitions = 0;
    std::int64_t frames = 0;
    double seconds = 0;
    std::optional<double> average_shot_seconds;
    std::optional<int> script_eighths;  ///< page length in the script, in eighths
    std::string record_in;              ///< record timecode of the scene's first frame
};

/// Everything the checks found in one cut.
struct CheckReport {
    std::vector<Finding> findings;  ///< in cut order; script-only findings last
    std::vector<SceneBreakdown> breakdown;

    /// Findings at or above `threshold` that no one acknowledged.
    std::size_t unacknowledged_at_least(Severity threshold) const;
    /// "3 errors, 5 warnings, 2 info (1 acknowledged)".
    std::string summary() const;
};

nlohmann::json to_json(const Finding& finding);
nlohmann::json to_json(const SceneBreakdown& scene);
/// {"format_version", "findings": [...], "breakdown": [...]}
nlohmann::json to_json(const CheckReport& report);
/// Reads what to_json wrote (round trip); throws std::exception on a malformed document.
CheckReport check_report_from_json(const nlohmann::json& document);

}  // namespace storyreel::checks
