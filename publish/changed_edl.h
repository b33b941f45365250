#pragma once
// Cut lists of only the events that changed in a published version: one event per added,
// re-ordered, re-timed, redrawn panel or panel with changed audio or dialogue (with its
// audio too where that changed), at its record timecode in the new version, sourced from
// the published movie (its reel name and timecode), so an editor can cut just those into
// the existing cut. Written by editorial's writers: a CMX3600 EDL (`* FROM CLIP NAME:`
// names the panel as the full cut lists do, `* COMMENT:` says what changed and which movie
// the event comes from; changed audio is an AA event) or an OpenTimelineIO timeline (the
// events at their record places with gaps between, a marker saying what changed, changed
// audio on an audio track).

#include <nlohmann/json.hpp>
#include <string>

namespace storyreel::publish {

/// `manifest` and `changes` of one version; `stage` picks the movie (empty: the first).
/// Throws PublishError when the version has no such movie or the EDL cannot hold it.
std::string changed_events_edl(const nlohmann::json& manifest, const nlohmann::json& changes,
                               const std::string& stage);

/// The same events as an .otio document (the movie referenced by its file name).
std::string changed_events_otio(const nlohmann::json& manifest, const nlohmann::json& changes,
                                const std::string& stage);

}  // namespace storyreel::publish
