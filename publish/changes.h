#pragma once
// What changed between two published versions of a sequence: panels added, removed,
// re-ordered, re-timed, redrawn, with changed audio or text, and the shots affected with
// their record timecodes in both versions. Written as changes.json and CHANGES.txt.

#include <nlohmann/json.hpp>
#include <string>

namespace storyreel::publish {

/// Compares two manifests (`previous` may be null: the first version, every panel added).
/// Panels are matched by name ("sq010/sh020/p003").
nlohmann::json compare_manifests(const nlohmann::json& previous, const nlohmann::json& current);

/// CHANGES.txt: the same, for people.
std::string describe_changes(const nlohmann::json& changes);

/// One line: "1 redrawn, 1 re-timed" or "no panel changes" / "first version".
std::string summarize_changes(const nlohmann::json& changes);

/// True when a panel change list entry kind alters the picture or sound of the event.
/// Kinds: added, reordered, retimed, redrawn, audio_changed, text_changed, look_changed.
const std::vector<std::string>& panel_change_kinds();

}  // namespace storyreel::publish
