#pragma once
// What the review page shows of one output unit (a sequence, or the whole cut), gathered by
// the report stage while the panels flow: plain data, so the page is a pure function of it
// and of build.json, and is tested without running a build.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::report {

/// One panel's card and its place on the timeline.
struct ReviewPanel {
    std::string name;       ///< "sq010/sh020/p003"
    std::string shot;       ///< "sq010/sh020"
    std::string panel;      ///< "p003"
    std::string thumbnail;  ///< relative to the page: "thumbs/<key>.jpg"
    int thumbnail_width = 0, thumbnail_height = 0;
    std::string record_timecode;
    std::int64_t unit_start_frame = 0;  ///< first frame in the unit
    std::int64_t frames = 0;
    std::string timing_source;  ///< explicit, fit, marker, dialogue, ...
    std::string dialogue, action, notes;
    std::string camera;      ///< "" for a held still, else e.g. "push in 1.0 -> 1.5"
    std::string transition;  ///< "" for a cut, else e.g. "dissolve 12"
    std::int64_t fade_out = 0;
    std::string board;  ///< the board file, for provenance
};

/// One unit's page.
struct ReviewUnit {
    std::string name;  ///< "sq010"
    std::string show;
    int fps_num = 24, fps_den = 1;
    std::int64_t frame_count = 0;
    std::string start_timecode;
    std::vector<ReviewPanel> panels;  ///< in cut order
    /// Per column of the timeline: lowest and highest sample of the mix (empty: no sound).
    std::vector<std::pair<float, float>> waveform;
    std::string movie;  ///< the review movie relative to the page ("" when none)
};

/// Everything build.json says that the page shows, read from its document.
struct BuildFacts {
    nlohmann::json findings = nlohmann::json::array();   ///< checks.findings (this unit's)
    nlohmann::json breakdown = nlohmann::json::array();  ///< this unit's scenes
    nlohmann::json inputs = nlohmann::json::array();     ///< path, role, hash
    nlohmann::json stages = nlohmann::json::array();     ///< name, type, settings
    std::string tool_version;
    std::string pipeline;  ///< its file
    std::string built_at;  ///< UTC, when the page was written
};

/// The facts of `build_report` (build.json's document) that concern `unit`: findings and
/// scenes of its sequences (and the script's own findings), every input, every stage.
BuildFacts build_facts_for_unit(const nlohmann::json& build_report, const ReviewUnit& unit);

/// Where a finding of build.json is: "sq010/sh020/p003", "sq010/sh020", "sq010" or "" (the
/// script or the whole cut), from its `sequence`, `shot` and `panel`.
std::string finding_where(const nlohmann::json& finding);

/// The sequences whose panels `unit` holds ("sq010" of "sq010/sh020/p003").
std::vector<std::string> sequences_of(const ReviewUnit& unit);

}  // namespace storyreel::report
