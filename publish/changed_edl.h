#pragma once
// A CMX3600 EDL of only the events that changed in a published version: one event per
// added, re-ordered, re-timed, redrawn panel or panel with changed audio or dialogue, at
// its record timecode in the new version, sourced from the published movie (its reel name
// and timecode), so an editor can cut just those into the existing cut.

#include <nlohmann/json.hpp>

#include <string>

namespace storyreel::publish {

/// `manifest` and `changes` of one version; `stage` picks the movie (empty: the first).
/// Throws PublishError when the version has no such movie.
std::string changed_events_edl(const nlohmann::json& manifest, const nlohmann::json& changes,
                               const std::string& stage);

}  // namespace storyreel::publish
