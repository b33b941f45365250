#pragma once
// Reading a panel's look (camera move, transition, fade out) from the project YAML, and
// checking that transitions fit the panels around them.

#include <string>

#include "pipeline/project.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

/// Keys a panel mapping may carry for its look.
// Keys: camera, transition, fade_out (listed in project_loader.cpp allow_only).

/// Reads `camera`, `transition` and `fade_out` from a panel mapping whose hold
/// (`panel.frames`) is already known; problems go to the fields' diagnostics.
void read_panel_look(YamlFields& fields, const ShowSettings& show, Panel& panel);

/// Checks every transition against its neighbours in the cut (no longer than the shorter
/// of the two panels; transitions and fades of one panel not overlapping).
void check_looks_in_cut(const Project& project, Diagnostics& diagnostics);

}  // namespace storyreel
