#pragma once
// Which board each panel showed in the published versions of its unit: what the production
// checks compare with to find a board left untouched while the boards around it were
// redrawn (placeholder_board's "stale" half). Read from the versions' manifests by
// publish/; the checks only see these maps.

#include <map>
#include <string>
#include <vector>

namespace storyreel {

/// One published version of a unit.
struct PublishedBoards {
    std::string version;                                     ///< "v007"
    std::map<std::string, std::string> board_hash_by_panel;  ///< "sq010/sh020/p003" -> hash
};

/// Per output unit name, its published versions, newest first.
using BoardHistory = std::map<std::string, std::vector<PublishedBoards>>;

}  // namespace storyreel
