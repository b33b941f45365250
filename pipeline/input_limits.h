#pragma once
// How much work a project may ask for. Small inputs must not be able to ask for unbounded
// work (a YAML alias bomb, a hold of 100 million frames, a 60,000-pixel board): every
// limit is checked up front, before any big structure is built or any pixel decoded, and
// a refusal says which limit and how to raise it. A studio that needs more raises a limit
// in the project's `limits:` block (configs/README.md, "limits").

#include <cstdint>
#include <optional>
#include <string>

#include "pipeline/diagnostics.h"

namespace YAML {
class Node;
}

namespace storyreel {

struct Project;

/// The limits in force for one project; the defaults suit any real production.
struct InputLimits {
    std::int64_t max_yaml_nodes = 1'000'000;  ///< YAML nodes after alias expansion
    std::int64_t max_yaml_megabytes = 64;     ///< YAML scalar text after alias expansion
    int max_nesting_depth = 64;               ///< YAML/JSON mappings and lists inside each other
    std::int64_t max_panels = 100'000;        ///< panels in the whole project
    double max_hold_seconds = 3600;           ///< one panel's hold
    double max_cut_hours = 24;                ///< the whole cut
    std::int64_t max_board_side = 16'384;     ///< pixels on either side of a board image
    std::int64_t max_board_megapixels = 100;  ///< width x height of a board image

    /// Frames of max_hold_seconds / max_cut_hours at `fps` (rounded down, at least 1).
    std::int64_t max_hold_frames(double fps) const;
    std::int64_t max_cut_frames(double fps) const;
};

/// Reads a project's `limits:` block (absent or null: the defaults) into `limits`; each
/// value is checked (a positive number under a ceiling), problems go to `diagnostics`.
void read_input_limits(const YAML::Node& block, const std::string& file, InputLimits& limits,
                       Diagnostics& diagnostics);

/// Walks a loaded YAML document as its readers will, aliases expanded, and stops as soon
/// as it is deeper, has more nodes or more scalar text than `limits` allow. False (with
/// a diagnostic naming the limit) when it does; the walk costs at most the limit.
bool yaml_within_limits(const YAML::Node& root, const std::string& file, const InputLimits& limits,
                        Diagnostics& diagnostics);

/// The byte offset at which JSON text nests deeper than `max_depth` (arrays and objects,
/// strings skipped); nullopt when it does not. Run before a JSON parser or walker sees it.
std::optional<std::size_t> json_too_deep_at(const std::string& text, int max_depth);

/// Panels, holds and the cut's length of a loaded project against project.limits, after
/// timing is resolved and before any work is planned.
void check_project_limits(const Project& project, Diagnostics& diagnostics);

/// The message of a board image larger than the limits, or empty when it fits.
std::string board_size_problem(std::int64_t width, std::int64_t height, const InputLimits& limits);

}  // namespace storyreel
