#pragma once
// Show settings a source may supply (frame rate, frame shape, name) unless the project
// YAML already set them, and names made safe for files.

#include <optional>
#include <set>
#include <string>

#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

namespace storyreel::sources {

/// Sets the frame rate from a tool's fps number (24, 23.976, 29.97...) unless the YAML set
/// one; reports an fps storyreel cannot encode.
void apply_source_frame_rate(double fps, const std::set<std::string>& show_keys, ShowSettings& show,
                             const SourceLocation& where, Diagnostics& diagnostics);

/// Shapes the frame to an aspect ratio (1920 wide, or 1080 high when narrower than
/// 16:9; even sizes) unless the YAML set a resolution.
void apply_source_aspect_ratio(double aspect, const std::set<std::string>& show_keys,
                               ShowSettings& show);

/// A name usable as (part of) a file name: other characters become '_', at most 64.
std::string safe_name(const std::string& text);

}  // namespace storyreel::sources
