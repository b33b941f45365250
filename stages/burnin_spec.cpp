#include "stages/burnin_spec.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <regex>

#include "pipeline/checked_number.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace {

constexpr const char* kSlotNames[] = {"top_left",    "top_centre",    "top_right",
                                      "bottom_left", "bottom_centre", "bottom_right"};

const std::vector<std::string>& per_frame_fields() {
    static const std::vector<std::string> names = {"frame", "shot_frame", "panel_frame",
                                                   "timecode"};
    return names;
}

}  // namespace

std::string today() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    localtime_r(&now, &parts);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
    return text;
}

namespace {

/// Splits "{shot} frame {frame}" into parts; reports unknown fields and stray braces.
std::vector<TextPart> parse_template(const std::string& text, YamlFields& fields, const char* key) {
    std::vector<TextPart> parts;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t open = text.find('{', at);
        if (open == std::string::npos) {
            parts.push_back({false, text.substr(at)});
            break;
        }
        if (open > at) parts.push_back({false, text.substr(at, open - at)});
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) {
            fields.problem(key, "unclosed '{' in \"" + text + "\"", "write fields as {shot}");
            return {};
        }
        const std::string name = text.substr(open + 1, close - open - 1);
        const auto& known = burnin_field_names();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::string list;
            for (const auto& field : known) list += (list.empty() ? "" : ", ") + field;
            fields.problem(key, "unknown burn-in field '{" + name + "}'", "use one of: " + list);
        }
        parts.push_back({true, name});
        at = close + 1;
    }
    return parts;
}

std::optional<std::array<float, 3>> colour_of(const YAML::Node& node) {
    static const std::pair<const char*, std::array<float, 3>> named[] = {
        {"black", {0, 0, 0}},      {"white", {1, 1, 1}},  {"grey", {.5f, .5f, .5f}},
        {"gray", {.5f, .5f, .5f}}, {"yellow", {1, 1, 0}}, {"red", {1, 0, 0}}};
    if (node.IsScalar()) {
        for (const auto& [name, rgb] : named)
            if (node.Scalar() == name) return rgb;
        static const std::regex hex(R"(^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$)");
        std::smatch match;
        const std::string text = node.Scalar();
        if (!std::regex_match(text, match, hex)) return std::nullopt;
        std::array<float, 3> rgb{};
        for (int i = 0; i < 3; ++i) rgb[i] = std::stoi(match[i + 1].str(), nullptr, 16) / 255.f;
        return rgb;
    }
    if (!node.IsSequence() || node.size() != 3) return std::nullopt;
    std::array<float, 3> rgb{};
    for (int i = 0; i < 3; ++i) {
        auto value = scalar_number(node[i], 0, 1);
        if (!value) return std::nullopt;
        rgb[i] = static_cast<float>(*value);
    }
    return rgb;
}

}  // namespace

void read_colour(YamlFields& fields, const char* key, std::array<float, 3>& colour) {
    if (!fields.has(key)) return;
    if (auto rgb = colour_of(fields.node(key)))
        colour = *rgb;
    else
        fields.problem(key, "expected a colour",
                       "use [r, g, b] from 0 to 1, #rrggbb, black or white");
}

std::string read_font(YamlFields& fields) {
    const std::string fonts = "/usr/share/fonts/truetype/dejavu/";
    std::string font = fonts + "DejaVuSans.ttf";
    if (auto name = fields.string("font")) {
        font = name->find('/') == std::string::npos
                   ? fonts + *name + (name->ends_with(".ttf") ? "" : ".ttf")
                   : *name;
    }
    if (!std::filesystem::is_regular_file(font))
        fields.problem(fields.has("font") ? "font" : "slots", "font file not found: " + font,
                       "install fonts-dejavu-core (scripts/setup.sh) or name a .ttf file");
    return font;
}

namespace {

void read_style(YamlFields& fields, BurnInStyle& style) {
    style.font = read_font(fields);
    if (auto size = fields.number("size")) style.size = *size;
    if (!(style.size >= 0.005 && style.size <= 0.5))
        fields.problem("size", "size must be a fraction of the frame height (0.005 to 0.5)",
                       "e.g. 0.035 for 1080 lines gives 38-pixel text");
    if (auto margin = fields.number("margin")) style.margin = *margin;
    if (!(style.margin >= 0 && style.margin <= 0.3))
        fields.problem("margin", "margin must be between 0 and 0.3 of the frame height");
    read_colour(fields, "text_colour", style.text_colour);
    read_colour(fields, "box_colour", style.box_colour);
    if (auto opacity = fields.number("box_opacity")) {
        style.box_opacity = static_cast<float>(*opacity);
        if (*opacity < 0 || *opacity > 1)
            fields.problem("box_opacity", "box_opacity must be 0 to 1");
    }
}

void read_slots(YamlFields& fields, BurnInSpec& spec) {
    for (int i = 0; i < 6; ++i) {
        const char* key = kSlotNames[i];
        auto text = fields.string(key);
        if (!text || text->empty()) continue;
        BurnInSlot slot;
        slot.row = i < 3 ? SlotRow::Top : SlotRow::Bottom;
        slot.column = static_cast<SlotColumn>(i % 3);
        slot.name = key;
        slot.text = *text;
        slot.parts = parse_template(*text, fields, key);
        for (const auto& part : slot.parts)
            if (part.is_field && std::find(per_frame_fields().begin(), per_frame_fields().end(),
                                           part.text) != per_frame_fields().end())
                slot.per_frame = true;
        spec.slots.push_back(std::move(slot));
    }
}

}  // namespace

const std::vector<std::string>& burnin_field_names() {
    static const std::vector<std::string> names = {
        "show",       "sequence",    "shot",     "panel",       "version",
        "date",       "artist",      "dialogue", "notes",       "frame",
        "shot_frame", "panel_frame", "timecode", "shot_frames", "panel_frames"};
    return names;
}

bool BurnInSpec::per_frame() const {
    return std::any_of(slots.begin(), slots.end(),
                       [](const BurnInSlot& slot) { return slot.per_frame; });
}

std::optional<BurnInSpec> parse_burnin_spec(const StageParams& params, Diagnostics& diagnostics) {
    BurnInSpec spec;
    const std::size_t before = diagnostics.size();
    YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                      diagnostics);
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"top_left", "top_centre", "top_right", "bottom_left", "bottom_centre",
                       "bottom_right", "font", "size", "margin", "text_colour", "box_colour",
                       "box_opacity", "date", "artist", "version", "first_frame"});
    read_slots(fields, spec);
    read_style(fields, spec.style);
    spec.values.date = fields.string("date").value_or(today());
    spec.values.artist = fields.string("artist").value_or("");
    spec.values.version = fields.string("version").value_or("");
    spec.values.first_frame = fields.integer("first_frame").value_or(1);
    if (spec.slots.empty())
        fields.problem("top_left", "the burn-ins stage draws nothing",
                       "give at least one slot: top_left ... bottom_right");
    if (diagnostics.size() != before) return std::nullopt;
    return spec;
}

PanelPlace place_of(const PanelSlot& slot, const CutPlan& plan) {
    PanelPlace place;
    place.slot = &slot;
    for (const auto& panel : slot.shot->panels) {
        if (&panel == slot.panel) break;
        place.shot_offset += panel.frames;
    }
    const OutputUnit& unit = plan.units[slot.unit];
    place.record_start = unit.start_timecode.plus(slot.unit_start_frame);
    return place;
}

std::string board_version(const std::filesystem::path& board) {
    static const std::regex pattern(R"((?:^|[_.\-])(v\d+)(?:$|[_.\-]))", std::regex::icase);
    std::smatch match;
    const std::string stem = board.stem().string();
    return std::regex_search(stem, match, pattern) ? match[1].str() : std::string();
}

std::string expand_slot(const BurnInSlot& slot, const BurnInValues& values,
                        const ShowSettings& show, const PanelPlace& place, std::int64_t frame) {
    const PanelSlot& panel = *place.slot;
    std::string text;
    for (const auto& part : slot.parts) {
        if (!part.is_field) {
            text += part.text;
            continue;
        }
        const std::string& f = part.text;
        if (f == "show")
            text += show.name;
        else if (f == "sequence")
            text += panel.sequence->name;
        else if (f == "shot")
            text += panel.shot->name;
        else if (f == "panel")
            text += panel.panel->name;
        else if (f == "version")
            text += values.version.empty() ? board_version(panel.panel->board) : values.version;
        else if (f == "date")
            text += values.date;
        else if (f == "artist")
            text += values.artist;
        else if (f == "dialogue")
            text += panel.panel->dialogue;
        else if (f == "notes")
            text += panel.panel->notes;
        else if (f == "frame")
            text += std::to_string(values.first_frame + panel.cut_start_frame + frame);
        else if (f == "shot_frame")
            text += std::to_string(values.first_frame + place.shot_offset + frame);
        else if (f == "panel_frame")
            text += std::to_string(values.first_frame + frame);
        else if (f == "timecode")
            text += place.record_start.plus(frame).to_string();
        else if (f == "shot_frames") {
            std::int64_t total = 0;
            for (const auto& p : panel.shot->panels) total += p.frames;
            text += std::to_string(total);
        } else if (f == "panel_frames")
            text += std::to_string(panel.frames());
    }
    return text;
}

}  // namespace storyreel
