#include "publish/changed_edl.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

#include "editorial/edl_writer.h"
#include "editorial/otio_writer.h"
#include "pipeline/json_number.h"
#include "publish/changes.h"
#include "publish/publish_error.h"
#include "publish/pull.h"

namespace storyreel::publish {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxVersion = std::numeric_limits<int>::max();

const json& movie_of(const json& manifest, const std::string& stage) {
    for (const auto& output : manifest.at("outputs"))
        if (output_kind(output) == "movie" && (stage.empty() || output.value("stage", "") == stage))
            return output;
    throw PublishError("version " +
                       std::to_string(json_integer_or(manifest, "version", 0, 0, kMaxVersion)) +
                       " of " + manifest.value("sequence", "") + " has no movie" +
                       (stage.empty() ? "" : " from stage '" + stage + "'"));
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

/// One changed panel, in record order.
struct ChangedEvent {
    std::string panel;
    Timecode record_in, record_out;
    std::string reasons;  ///< "RETIMED, REDRAWN"
    bool audio_changed = false;
};

/// The movie the events come from and the changed panels of the version.
struct ChangedEvents {
    std::string title, movie_file, reel;
    Timecode start;
    bool movie_has_audio = false;
    std::vector<ChangedEvent> events;
};

Timecode timecode_of(const json& text, FrameRate rate, const json& manifest) {
    if (auto parsed = Timecode::parse(text.get<std::string>(), rate)) return *parsed;
    throw PublishError("manifest of " + manifest.value("sequence", "") +
                       " has an unreadable timecode '" + text.get<std::string>() + "'");
}

ChangedEvents changed_events(const json& manifest, const json& changes, const std::string& stage) {
    const json& movie = movie_of(manifest, stage);
    const auto rate = FrameRate::parse(manifest.at("show").at("frame_rate").get<std::string>());
    if (!rate)
        throw PublishError("manifest of " + manifest.value("sequence", "") +
                           " has no usable frame rate");
    ChangedEvents changed;
    changed.title = manifest.value("sequence", "") + " v" +
                    std::to_string(json_integer_or(manifest, "version", 0, 0, kMaxVersion)) +
                    " CHANGED EVENTS";
    changed.movie_file = movie.at("file").get<std::string>();
    changed.reel = editorial_reel_name(movie.value("reel", manifest.value("sequence", "")));
    if (changed.reel.empty()) changed.reel = "AX";
    changed.start = timecode_of(manifest.at("start_timecode"), *rate, manifest);
    changed.movie_has_audio = movie.value("audio_codec", "none") != "none";
    std::map<std::string, std::vector<std::string>> why;  // panel -> what changed
    for (const auto& kind : panel_change_kinds())
        for (const auto& entry : changes.at("panels").at(kind))
            why[entry.at("panel")].push_back(kind);
    for (const auto& panel : manifest.at("panels")) {
        auto found = why.find(panel.at("panel"));
        if (found == why.end()) continue;
        ChangedEvent event{panel.at("panel"), timecode_of(panel.at("record_in"), *rate, manifest),
                           timecode_of(panel.at("record_out"), *rate, manifest)};
        for (const auto& kind : found->second)
            event.reasons += (event.reasons.empty() ? "" : ", ") + upper(kind);
        event.audio_changed = std::find(found->second.begin(), found->second.end(),
                                        "audio_changed") != found->second.end();
        changed.events.push_back(std::move(event));
    }
    return changed;
}

}  // namespace

std::string changed_events_edl(const json& manifest, const json& changes,
                               const std::string& stage) {
    const ChangedEvents changed = changed_events(manifest, changes, stage);
    std::vector<EdlEvent> events;
    for (const auto& change : changed.events) {
        EdlEvent event;
        event.reel = changed.reel;
        // Sourced from the movie, whose timecode is the record timecode.
        event.source_in = event.record_in = change.record_in;
        event.source_out = event.record_out = change.record_out;
        event.comments = {"FROM CLIP NAME: " + change.panel,
                          "COMMENT: " + change.reasons + " (SOURCE " + changed.movie_file + ")"};
        events.push_back(event);
        if (changed.movie_has_audio && change.audio_changed) {
            event.channel = "AA";
            events.push_back(event);
        }
    }
    try {
        return write_cmx3600(changed.title, changed.start.drop_frame(), events);
    } catch (const std::invalid_argument& error) {
        throw PublishError(std::string("cannot write the changed events as CMX3600: ") +
                           error.what());
    }
}

std::string changed_events_otio(const json& manifest, const json& changes,
                                const std::string& stage) {
    const ChangedEvents changed = changed_events(manifest, changes, stage);
    std::vector<OtioMovieEvent> events;
    for (const auto& change : changed.events)
        events.push_back({change.panel, change.record_in.frames(),
                          change.record_out.frames() - change.record_in.frames(), change.reasons,
                          changed.movie_has_audio && change.audio_changed});
    return make_otio_movie_events_timeline(changed.title, changed.start, changed.movie_file, events)
               .dump(4) +
           "\n";
}

}  // namespace storyreel::publish
