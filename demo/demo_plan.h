#pragma once
// The plan of a demo project: every panel's name, timing, board layout and content,
// decided before anything is drawn. Boards can then be written independently (and in
// parallel, by a caller that wants to).

#include <cstdint>
#include <string>
#include <vector>

#include "demo/board_file.h"
#include "demo/demo_project.h"
#include "demo/demo_timing.h"

namespace storyreel::demo {

struct PlannedPanel {
    DemoPanel placement;
    std::string dialogue;  ///< may be empty
    std::string notes;     ///< may be empty
    BoardLayout layout;
    BoardContent content;
};

struct DemoPlan {
    DemoFrameRate rate;
    std::vector<PlannedPanel> panels;  ///< in cut order
    long long total_frames = 0;
};

/// Throws std::invalid_argument listing every problem with `options`, if any.
void validate_demo_options(const DemoOptions& options);

/// Decides every panel. Pure: same options, same plan.
DemoPlan plan_demo_project(const DemoOptions& options);

/// The project.yaml text for a plan. `audio_file` is relative; empty for no audio.
std::string demo_project_yaml(const DemoOptions& options, const DemoPlan& plan,
                              const std::string& audio_file);

}  // namespace storyreel::demo
