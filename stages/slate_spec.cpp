#include "stages/slate_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "pipeline/yaml_fields.h"
#include "stages/burnin_spec.h"

namespace storyreel {

namespace {

constexpr double kDefaultSeconds = 2.0;
constexpr double kLongestSeconds = 60.0;

std::string known_fields_text() {
    std::string list;
    for (const auto& field : slate_field_names()) list += (list.empty() ? "" : ", ") + field;
    return list;
}

void read_fields(YamlFields& fields, SlateSpec& spec) {
    if (!fields.has("fields")) {
        spec.fields = {"show", "sequence", "version", "date", "duration", "start", "notes"};
        return;
    }
    const YAML::Node list = fields.node("fields");
    if (!list.IsSequence() || list.size() == 0) {
        fields.problem("fields", "expected a non-empty list of slate fields",
                       "use some of: " + known_fields_text());
        return;
    }
    const auto& known = slate_field_names();
    for (const auto& item : list) {
        const std::string name = item.IsScalar() ? item.Scalar() : "";
        if (std::find(known.begin(), known.end(), name) == known.end())
            fields.diagnostics().add(location_of(item, fields.file()), fields.subject(),
                                     "unknown slate field '" + name + "'",
                                     "use one of: " + known_fields_text());
        else if (std::find(spec.fields.begin(), spec.fields.end(), name) != spec.fields.end())
            fields.diagnostics().add(location_of(item, fields.file()), fields.subject(),
                                     "slate field '" + name + "' is listed twice", "keep one");
        else
            spec.fields.push_back(name);
    }
}

/// `frames` or `seconds` (default 2 s), at most a minute, and not before 00:00:00:00.
void read_length(YamlFields& fields, const ShowSettings& show, SlateSpec& spec) {
    const double rate = show.frame_rate.as_double();
    if (fields.has("frames") && fields.has("seconds")) {
        fields.problem("seconds", "give the slate's length as frames or seconds, not both");
        return;
    }
    const auto longest = static_cast<std::int64_t>(std::llround(kLongestSeconds * rate));
    if (fields.has("frames")) {
        const auto frames = fields.integer("frames");
        if (!frames) return;
        spec.frames = *frames;
        if (spec.frames < 1 || spec.frames > longest)
            fields.problem("frames", "a slate lasts 1 to " + std::to_string(longest) +
                                         " frames (a minute); got " + std::to_string(spec.frames));
    } else {
        const double seconds = fields.number("seconds").value_or(kDefaultSeconds);
        spec.frames = static_cast<std::int64_t>(std::llround(seconds * rate));
        if (!(seconds > 0 && seconds <= kLongestSeconds) || spec.frames < 1)
            fields.problem("seconds",
                           "a slate lasts more than 0 and at most 60 seconds (at least one frame)");
    }
    if (spec.frames >= 1 && spec.frames > show.start_timecode_frames)
        fields.problem(fields.has("seconds") ? "seconds" : "frames",
                       "the slate's " + std::to_string(spec.frames) +
                           " frames would start before 00:00:00:00 (the cut starts at " +
                           show.start_timecode().to_string() + ")",
                       "shorten the slate or set show.start_timecode later (01:00:00:00 is usual)");
}

std::string duration_text(std::int64_t frames, FrameRate rate) {
    return Timecode(frames, rate, false).to_string() + " (" + std::to_string(frames) + " frames)";
}

/// True when version digits `a` ("0012") number less than `b` ("13"): compared as
/// digit strings, so a version of any length orders right and nothing can overflow.
bool version_less(const std::string& a, const std::string& b) {
    const auto significant = [](const std::string& digits) {
        const auto first = digits.find_first_not_of('0');
        return first == std::string::npos ? std::string() : digits.substr(first);
    };
    const std::string x = significant(a), y = significant(b);
    return x.size() != y.size() ? x.size() < y.size() : x < y;
}

/// The newest "v###" token among the unit's board file names.
std::string newest_board_version(const CutPlan& plan, const OutputUnit& unit) {
    std::string newest;
    for (std::size_t index : unit.slots) {
        const std::string token = board_version(plan.slots[index].panel->board);
        if (token.empty()) continue;
        if (newest.empty() || version_less(newest.substr(1), token.substr(1))) newest = token;
    }
    return newest;
}

std::string value_of(const std::string& field, const SlateSpec& spec, const Project& project,
                     const CutPlan& plan, const OutputUnit& unit) {
    if (field == "show") return project.show.name;
    if (field == "sequence") return unit.name;
    if (field == "version")
        return spec.version.empty() ? newest_board_version(plan, unit) : spec.version;
    if (field == "date") return spec.date;
    if (field == "duration") return duration_text(unit.frame_count, plan.rate);
    if (field == "start") return unit.start_timecode.to_string();
    if (field == "notes") return spec.notes;
    return {};
}

}  // namespace

const std::vector<std::string>& slate_field_names() {
    static const std::vector<std::string> names = {"show",     "sequence", "version", "date",
                                                   "duration", "start",    "notes"};
    return names;
}

std::string SlateSpec::fingerprint() const {
    char style[160];
    std::snprintf(style, sizeof style, "size=%.6g text=%.4g,%.4g,%.4g background=%.4g,%.4g,%.4g",
                  size, text_colour[0], text_colour[1], text_colour[2], background[0],
                  background[1], background[2]);
    std::string text = "slate v1 frames=" + std::to_string(frames) +
                       " font=" + std::filesystem::path(font).filename().string() + " " + style +
                       " fields=";
    for (const auto& field : fields) text += field + ",";
    text += " version=\"" + version + "\" notes=\"" + notes + "\"";
    if (date_given) text += " date=" + date;
    return text;
}

std::optional<SlateSpec> parse_slate_spec(const StageParams& params, Diagnostics& diagnostics) {
    const std::size_t before = diagnostics.size();
    const YAML::Node node = params.params.IsDefined() && !params.params.IsNull()
                                ? params.params
                                : YAML::Node(YAML::NodeType::Map);
    YamlFields fields(node, params.file, "stage '" + params.stage_name + "' params", diagnostics);
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"frames", "seconds", "fields", "version", "date", "notes", "font", "size",
                       "text_colour", "background"});
    SlateSpec spec;
    if (params.project) read_length(fields, params.project->show, spec);
    read_fields(fields, spec);
    spec.version = fields.string("version").value_or("");
    spec.date_given = fields.has("date");
    spec.date = fields.string("date").value_or(today());
    spec.notes = fields.string("notes").value_or("");
    spec.font = read_font(fields);
    if (auto size = fields.number("size")) spec.size = *size;
    if (!(spec.size >= 0.01 && spec.size <= 0.2))
        fields.problem("size", "size must be a fraction of the frame height (0.01 to 0.2)",
                       "e.g. 0.045 for 1080 lines gives 49-pixel text");
    read_colour(fields, "text_colour", spec.text_colour);
    read_colour(fields, "background", spec.background);
    if (diagnostics.size() != before) return std::nullopt;
    return spec;
}

std::vector<SlateLine> slate_lines(const SlateSpec& spec, const Project& project,
                                   const CutPlan& plan, const OutputUnit& unit) {
    std::vector<SlateLine> lines;
    for (const auto& field : spec.fields) {
        std::string value = value_of(field, spec, project, plan, unit);
        if (value.empty()) continue;
        std::string label = field;
        std::transform(label.begin(), label.end(), label.begin(),
                       [](unsigned char c) { return std::toupper(c); });
        lines.push_back({std::move(label), std::move(value)});
    }
    return lines;
}

}  // namespace storyreel
