#include "editorial/otio_writer.h"

namespace storyreel {

using nlohmann::json;

namespace {

json rational_time(std::int64_t value, double rate) {
    return {
        {"OTIO_SCHEMA", "RationalTime.1"}, {"rate", rate}, {"value", static_cast<double>(value)}};
}

json time_range(std::int64_t start, std::int64_t duration, double rate) {
    return {{"OTIO_SCHEMA", "TimeRange.1"},
            {"duration", rational_time(duration, rate)},
            {"start_time", rational_time(start, rate)}};
}

json external_reference(const std::string& url, const json& available_range) {
    return {{"OTIO_SCHEMA", "ExternalReference.1"},
            {"metadata", json::object()},
            {"name", ""},
            {"available_range", available_range},
            {"available_image_bounds", nullptr},
            {"target_url", url}};
}

json clip(const std::string& name, json reference, const json& source_range, json markers,
          json metadata) {
    return {{"OTIO_SCHEMA", "Clip.2"},
            {"metadata", std::move(metadata)},
            {"name", name},
            {"source_range", source_range},
            {"effects", json::array()},
            {"markers", std::move(markers)},
            {"enabled", true},
            {"media_references", {{"DEFAULT_MEDIA", std::move(reference)}}},
            {"active_media_reference_key", "DEFAULT_MEDIA"}};
}

json track(const std::string& name, const std::string& kind, json children) {
    return {
        {"OTIO_SCHEMA", "Track.1"}, {"metadata", json::object()},      {"name", name},
        {"source_range", nullptr},  {"effects", json::array()},        {"markers", json::array()},
        {"enabled", true},          {"children", std::move(children)}, {"kind", kind}};
}

/// A Timeline.1 at `start` whose storyreel metadata is `about` (plus rate and start).
json timeline_at(const std::string& name, const Timecode& start, json about, json tracks) {
    about["frame_rate"] = start.rate().to_string();
    about["start_timecode"] = start.to_string();
    about["drop_frame"] = start.drop_frame();
    return {{"OTIO_SCHEMA", "Timeline.1"},
            {"metadata", {{"storyreel", std::move(about)}}},
            {"name", name},
            {"global_start_time", rational_time(start.frames(), otio_rate(start.rate()))},
            {"tracks",
             {{"OTIO_SCHEMA", "Stack.1"},
              {"metadata", json::object()},
              {"name", "tracks"},
              {"source_range", nullptr},
              {"effects", json::array()},
              {"markers", json::array()},
              {"enabled", true},
              {"children", std::move(tracks)}}}};
}

json timeline_object(const CutListTimeline& timeline, const std::string& name, json tracks) {
    return timeline_at(
        name, timeline.start,
        {{"unit", timeline.unit}, {"width", timeline.width}, {"height", timeline.height}},
        std::move(tracks));
}

json gap(std::int64_t frames, double rate) {
    return {{"OTIO_SCHEMA", "Gap.1"},
            {"metadata", json::object()},
            {"name", ""},
            {"source_range", time_range(0, frames, rate)},
            {"effects", json::array()},
            {"markers", json::array()},
            {"enabled", true}};
}

/// `events` (those `wanted`) as clips of `media` at their record places, gaps between.
json event_children(const std::vector<OtioMovieEvent>& events,
                    bool (*wanted)(const OtioMovieEvent&), const Timecode& start,
                    const std::string& media) {
    const double rate = otio_rate(start.rate());
    json children = json::array();
    std::int64_t at = start.frames();
    for (const auto& event : events) {
        if (!wanted(event)) continue;
        if (event.record_in > at) children.push_back(gap(event.record_in - at, rate));
        json markers = json::array();
        if (!event.comment.empty())
            markers.push_back({{"OTIO_SCHEMA", "Marker.2"},
                               {"metadata", json::object()},
                               {"name", event.comment},
                               {"color", "RED"},
                               {"marked_range", time_range(event.record_in, event.frames, rate)},
                               {"comment", event.comment}});
        const json range = time_range(event.record_in, event.frames, rate);
        children.push_back(clip(event.name, external_reference(media, nullptr), range,
                                std::move(markers), {{"storyreel", {{"panel", event.name}}}}));
        at = event.record_in + event.frames;
    }
    return children;
}

/// The panel's dialogue, from its own cut (`at`, in the clip's media frames) for its hold.
json dialogue_markers(const CutListClip& panel, std::int64_t at, double rate) {
    json markers = json::array();
    if (panel.dialogue.empty()) return markers;
    markers.push_back({{"OTIO_SCHEMA", "Marker.2"},
                       {"metadata", {{"storyreel", {{"kind", "dialogue"}}}}},
                       {"name", panel.dialogue},
                       {"color", "GREEN"},
                       {"marked_range", time_range(at, panel.frames, rate)},
                       {"comment", panel.dialogue}});
    return markers;
}

/// OTIO's transition for one of ours, always an SMPTE_Dissolve: between two clips a
/// cross-dissolve; a fade has a zero-length Gap on its black side (see video_children), so
/// readers show a dissolve from or to black, not into the next panel.
json transition_object(const CutListTransition& transition, double rate) {
    const char* name = "Cross Dissolve";
    const char* type = "dissolve";
    if (transition.kind == CutListTransitionKind::FadeIn) name = "Fade In", type = "fade_in";
    if (transition.kind == CutListTransitionKind::FadeOut) name = "Fade Out", type = "fade_out";
    return {{"OTIO_SCHEMA", "Transition.1"},
            {"metadata", {{"storyreel", {{"type", type}}}}},
            {"name", name},
            {"transition_type", "SMPTE_Dissolve"},
            {"in_offset", rational_time(transition.before, rate)},
            {"out_offset", rational_time(transition.after, rate)}};
}

/// The panel clips with the transitions between and around them; black (at a fade, or
/// the middle of a dip to black) is a zero-length Gap. A clip runs from cut point to cut
/// point; its media starts where the first frame the movie shows of it is.
json video_children(const CutListTimeline& timeline, double rate) {
    json video = json::array();
    const auto items = timeline.track_items_through_black();
    bool after_gap = false;
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].transition) {
            const CutListTransition& transition = *items[k].transition;
            if (transition.kind == CutListTransitionKind::FadeIn && !after_gap)
                video.push_back(gap(0, rate));
            video.push_back(transition_object(transition, rate));
            after_gap = transition.kind == CutListTransitionKind::FadeOut;
            if (after_gap) video.push_back(gap(0, rate));
            continue;
        }
        after_gap = false;
        const CutListClip& panel = timeline.clips[items[k].clip];
        const CutListClipSpan span = timeline.clip_span(items, k);
        const std::int64_t origin = span.media_origin();
        json metadata = {{"storyreel", {{"panel", panel.name}, {"board", panel.board.string()}}}};
        video.push_back(clip(panel.name, external_reference(file_url(panel.board), nullptr),
                             time_range(span.cut_in - origin, span.cut_out - span.cut_in, rate),
                             dialogue_markers(panel, span.record_start - origin, rate),
                             std::move(metadata)));
    }
    return video;
}

/// The movie's audio (or the whole movie) as one clip: its media time is its timecode,
/// and its media starts with the slate, if any, which the clip leaves out.
json movie_clip(const CutListTimeline& timeline, const std::string& name) {
    const double rate = otio_rate(timeline.rate);
    const json range = time_range(timeline.start.frames(), timeline.frame_count, rate);
    const json media = time_range(timeline.movie.media_start(timeline.start).frames(),
                                  timeline.movie.slate_frames + timeline.frame_count, rate);
    return clip(name, external_reference(timeline.movie.file.filename().string(), media), range,
                json::array(), json::object());
}

}  // namespace

double otio_rate(FrameRate rate) {
    return static_cast<double>(rate.num) / static_cast<double>(rate.den);
}

json make_otio_cut_timeline(const CutListTimeline& timeline) {
    const double rate = otio_rate(timeline.rate);
    json tracks = json::array({track("V1", "Video", video_children(timeline, rate))});
    if (timeline.movie.has_audio)
        tracks.push_back(track("A1", "Audio", json::array({movie_clip(timeline, "temp audio")})));
    return timeline_object(timeline, timeline.title, std::move(tracks));
}

json make_otio_movie_events_timeline(const std::string& title, const Timecode& start,
                                     const std::string& media,
                                     const std::vector<OtioMovieEvent>& events) {
    json tracks =
        json::array({track("V1", "Video",
                           event_children(
                               events, [](const OtioMovieEvent&) { return true; }, start, media))});
    json audio = event_children(
        events, [](const OtioMovieEvent& event) { return event.with_audio; }, start, media);
    if (!audio.empty()) tracks.push_back(track("A1", "Audio", std::move(audio)));
    return timeline_at(title, start, {{"media", media}}, std::move(tracks));
}

json make_otio_movie_timeline(const CutListTimeline& timeline) {
    const std::string name = timeline.movie.file.filename().string();
    json tracks = json::array({track("V1", "Video", json::array({movie_clip(timeline, name)}))});
    if (timeline.movie.has_audio)
        tracks.push_back(track("A1", "Audio", json::array({movie_clip(timeline, name)})));
    return timeline_object(timeline, timeline.title + " movie", std::move(tracks));
}

}  // namespace storyreel
