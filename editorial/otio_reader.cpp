#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "editorial/cut_list_timeline.h"
#include "editorial/editorial_cut.h"
#include "pipeline/input_limits.h"

namespace storyreel {

using nlohmann::json;

namespace {

/// "Clip.2" -> "Clip".
std::string schema_name(const json& object) {
    if (!object.is_object() || !object.contains("OTIO_SCHEMA")) return {};
    const std::string schema = object["OTIO_SCHEMA"].get<std::string>();
    return schema.substr(0, schema.find('.'));
}

/// Seconds of a RationalTime; nullopt when it is not {value, rate} with a finite value and
/// a positive rate, or lies further than the longest cut (InputLimits) from zero.
std::optional<double> seconds_of(const json& time) {
    if (!time.is_object() || !time.contains("rate") || !time.contains("value")) return std::nullopt;
    const json& rate = time["rate"];
    const json& value = time["value"];
    if (!rate.is_number() || !value.is_number()) return std::nullopt;
    const double seconds = value.get<double>() / rate.get<double>();
    const double longest = InputLimits{}.max_cut_hours * 3600;
    if (!(rate.get<double>() > 0) || !std::isfinite(seconds) || std::abs(seconds) > longest)
        return std::nullopt;
    return seconds;
}

/// OTIO timelines nest a few levels per track; a deeper file is damaged or hostile.
constexpr int kOtioNestingDepth = 64;

int line_at(const std::string& text, std::size_t offset) {
    return 1 +
           static_cast<int>(std::count(
               text.begin(),
               text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

class OtioReader {
  public:
    OtioReader(const std::filesystem::path& file, FrameRate rate, Diagnostics& diagnostics)
        : file_(file), rate_(rate), diagnostics_(diagnostics) {}

    std::optional<EditorialCut> read() {
        std::ifstream in(file_, std::ios::binary);
        if (!in) {
            diagnostics_.add({file_.string(), 0, 0}, "cut", "cannot be read",
                             "check the path given to 'cut:'");
            return std::nullopt;
        }
        text_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (auto deep = json_too_deep_at(text_, kOtioNestingDepth)) {
            diagnostics_.add(
                {file_.string(), line_at(text_, *deep), 0}, "cut",
                "JSON nested deeper than " + std::to_string(kOtioNestingDepth) + " levels",
                "export the cut again; nested stacks are not read");
            return std::nullopt;
        }
        json root;
        try {
            root = json::parse(text_);
        } catch (const json::parse_error& error) {
            diagnostics_.add({file_.string(), line_at(text_, error.byte), 0}, "cut",
                             std::string("not valid JSON: ") + error.what());
            return std::nullopt;
        } catch (const json::exception& error) {  // a number too large for a double (406)
            diagnostics_.add({file_.string(), 0, 0}, "cut",
                             std::string("not readable JSON: ") + error.what());
            return std::nullopt;
        }
        try {
            return read_timeline(root);
        } catch (const json::exception& error) {
            diagnostics_.add({file_.string(), 0, 0}, "cut",
                             std::string("not a usable OTIO timeline: ") + error.what(),
                             "export an OpenTimelineIO Timeline (.otio)");
            return std::nullopt;
        }
    }

  private:
    const json* find_timeline(const json& root) {
        if (schema_name(root) == "Timeline") return &root;
        if (schema_name(root) == "SerializableCollection")
            for (const auto& child : root.at("children"))
                if (schema_name(child) == "Timeline") return &child;
        return nullptr;
    }

    std::optional<EditorialCut> read_timeline(const json& root) {
        const json* timeline = find_timeline(root);
        if (!timeline) {
            diagnostics_.add({file_.string(), 1, 1}, "cut", "holds no OTIO Timeline",
                             "export the cut as an OpenTimelineIO Timeline");
            return std::nullopt;
        }
        const json* video = nullptr;
        for (const auto& track : timeline->at("tracks").at("children"))
            if (schema_name(track) == "Track" && track.value("kind", "") == "Video") {
                video = &track;
                break;
            }
        if (!video) {
            diagnostics_.add({file_.string(), 1, 1}, "cut", "its timeline has no video track");
            return std::nullopt;
        }
        double start = 0;
        if (timeline->contains("global_start_time") &&
            !(*timeline)["global_start_time"].is_null()) {
            auto given = seconds_of((*timeline)["global_start_time"]);
            if (!given || *given < 0) {
                diagnostics_.add({file_.string(), 1, 1}, "cut",
                                 "global_start_time is not a time from 0 to " + longest_cut_text() +
                                     ": " + (*timeline)["global_start_time"].dump(),
                                 "export the cut again with a start time of zero or more");
                return std::nullopt;
            }
            start = *given;
        }
        return read_track(*video, start);
    }

    /// The duration of an item: its source_range, else its media's available_range;
    /// nullopt (reported) when negative or not a time.
    std::optional<double> duration_of(const json& item, const std::string& label, int line) {
        const json* range = nullptr;
        if (item.contains("source_range") && !item["source_range"].is_null())
            range = &item["source_range"];
        const json* reference = media_reference(item);
        if (!range && reference && reference->contains("available_range") &&
            !(*reference)["available_range"].is_null())
            range = &(*reference)["available_range"];
        if (range) {
            const json none;
            const json& duration =
                range->is_object() && range->contains("duration") ? (*range)["duration"] : none;
            auto seconds = seconds_of(duration);
            if (seconds && *seconds >= 0) return seconds;
            diagnostics_.add({file_.string(), line, 0}, "cut " + label,
                             "duration is not a time from 0 to " + longest_cut_text() + ": " +
                                 duration.dump().substr(0, 80),
                             "export the cut again; every clip needs a duration of zero or more "
                             "({\"value\": frames, \"rate\": fps})");
            return std::nullopt;
        }
        diagnostics_.add({file_.string(), line, 0}, "cut " + label,
                         "has neither a source_range nor media with an available_range",
                         "give every clip its duration");
        return 0;
    }

    static const json* media_reference(const json& clip) {
        if (clip.contains("media_references") && clip["media_references"].is_object()) {
            const std::string key = clip.value("active_media_reference_key", "DEFAULT_MEDIA");
            if (clip["media_references"].contains(key)) return &clip["media_references"][key];
        }
        if (clip.contains("media_reference") && clip["media_reference"].is_object())
            return &clip["media_reference"];
        return nullptr;
    }

    std::vector<std::string> names_of(const json& clip) {
        std::vector<std::string> names;
        if (auto name = clip.value("name", ""); !name.empty()) names.push_back(name);
        if (clip.contains("metadata") && clip["metadata"].contains("storyreel"))
            if (auto panel = clip["metadata"]["storyreel"].value("panel", ""); !panel.empty())
                names.push_back(panel);
        if (const json* reference = media_reference(clip))
            if (auto url = reference->value("target_url", ""); !url.empty())
                names.push_back(path_from_url(url).filename().string());
        return names;
    }

    /// Line of the clip's name in the file, searching forward from the previous clip.
    int line_of_clip(const json& clip) {
        const std::string needle = json(clip.value("name", "")).dump();
        const auto at = text_.find(needle, search_from_);
        if (at == std::string::npos) return 0;
        search_from_ = at + needle.size();
        return line_at(text_, at);
    }

    std::int64_t frame_at(double seconds) const {
        return std::llround(seconds * static_cast<double>(rate_.num) /
                            static_cast<double>(rate_.den));
    }

    std::optional<EditorialCut> read_track(const json& track, double start) {
        EditorialCut cut;
        cut.file = file_;
        double position = start;  // seconds on the record timeline
        int index = 0;
        for (const auto& item : track.at("children")) {
            const std::string schema = schema_name(item);
            if (schema == "Transition") continue;  // overlaps its neighbours, takes no time
            ++index;
            const int line = schema == "Clip" ? line_of_clip(item) : 0;
            const std::string label =
                "clip " + std::to_string(index) + " '" + item.value("name", "") + "'";
            const auto duration = duration_of(item, label, line);
            if (!duration) return std::nullopt;
            if (position + *duration > start + InputLimits{}.max_cut_hours * 3600) {
                diagnostics_.add(
                    {file_.string(), line, 0}, "cut " + label,
                    "ends beyond " + longest_cut_text() + " into the cut (limit max_cut_hours)",
                    "check the clip's duration; the cut is read up to that length");
                return std::nullopt;
            }
            if (schema == "Clip") {
                CutEvent event;
                event.names = names_of(item);
                event.record_in = frame_at(position);
                event.record_out = frame_at(position + *duration);
                event.label = label;
                event.where = {file_.string(), line, 0};
                if (event.frames() > 0) cut.events.push_back(std::move(event));
            } else if (schema != "Gap") {
                diagnostics_.add({file_.string(), line, 0}, "cut " + label,
                                 "a " + schema + " in the video track is not supported",
                                 "flatten nested stacks before exporting");
            }
            position += *duration;
        }
        return cut;
    }

    static std::string longest_cut_text() {
        return std::to_string(static_cast<std::int64_t>(InputLimits{}.max_cut_hours * 3600)) + " s";
    }

    std::filesystem::path file_;
    FrameRate rate_;
    Diagnostics& diagnostics_;
    std::string text_;
    std::size_t search_from_ = 0;
};

}  // namespace

std::optional<EditorialCut> read_otio(const std::filesystem::path& file, FrameRate rate,
                                      Diagnostics& diagnostics) {
    return OtioReader(file, rate, diagnostics).read();
}

}  // namespace storyreel
