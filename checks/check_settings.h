#pragma once
// The `checks:` block (project or pipeline YAML): which rules run, their thresholds, the
// breakdown's flag keywords, acknowledgements for panels the project YAML does not list.
//
// Validated like the rest of the configuration: every problem with file:line:column,
// collected, before any work starts (an unknown rule or key, a negative threshold, an
// `ack` naming no rule).

#include <map>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project.h"

namespace storyreel::checks {

class RuleRegistry;

/// One setting a rule takes: a number (never negative), or a switch.
struct RuleParam {
    std::string key;
    double default_value = 0;
    std::string unit;              ///< for messages and docs
    bool boolean = false;          ///< true/false instead of a number
    bool may_be_negative = false;  ///< levels in dB may be; thresholds may not
};

/// A rule's settings after the `checks:` blocks were read (defaults filled in).
struct RuleSettings {
    bool enabled = true;
    std::map<std::string, double> values;

    double operator[](const std::string& key) const { return values.at(key); }
};

/// `checks: {acknowledge: [{panel: SEQ/SHOT/PANEL, rule: ..., reason: ...}]}`: an `ack`
/// for a panel of a source (Storyboarder, image folder) that has no YAML of its own.
struct PanelAcknowledgement {
    std::string panel;  ///< "sq010/sh020/p003"
    Acknowledgement ack;
};

struct CheckSettings {
    std::map<std::string, RuleSettings> rules;  ///< every registered rule, by id
    /// Breakdown flag -> keywords (lower case) that raise it in action, notes, dialogue.
    std::map<std::string, std::vector<std::string>> flag_keywords;
    std::vector<PanelAcknowledgement> acknowledgements;

    bool enabled(const std::string& rule) const;
};

/// The breakdown's default production flags and their keywords (docs/checks.md).
std::map<std::string, std::vector<std::string>> default_flag_keywords();

/// Reads the pipeline's `checks:` block, then the project's over it (the project wins key
/// by key), and validates the panels' `ack`s; problems go into `diagnostics`.
CheckSettings read_check_settings(const Project& project, const PipelineSpec* pipeline,
                                  const RuleRegistry& rules, Diagnostics& diagnostics);

}  // namespace storyreel::checks
