#pragma once
// The review page's "Changes since vNNN" section, written into a published version's page
// from its changes.json (publish/changes.h): redrawn panels old and new side by side,
// re-timed panels old -> new frames, added and removed panels, new and resolved findings.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace storyreel::report {

/// Where the page shows a panel's drawing in a version: its thumbnail, relative to the page.
using PanelThumbnails =
    std::map<std::string, std::string>;  ///< "sq010/sh020/p003" -> "thumbs/x.jpg"

/// The section's HTML. `previous_version` names the version compared against ("v002");
/// `before` and `after` give the thumbnails of both versions.
std::string changes_html(const nlohmann::json& changes, const std::string& previous_version,
                         const PanelThumbnails& before, const PanelThumbnails& after);

/// Marks in the page the publisher replaces: the changes section and the version line.
inline constexpr const char* kChangesMark = "<!--storyreel:changes-->";
inline constexpr const char* kVersionMark = "<!--storyreel:version-->";

}  // namespace storyreel::report
