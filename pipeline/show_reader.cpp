#include "pipeline/show_reader.h"

#include <regex>

#include "pipeline/checked_number.h"
#include "pipeline/timecode.h"

namespace storyreel {

namespace {

std::optional<std::array<float, 3>> parse_colour(const YAML::Node& node) {
    if (node.IsSequence() && node.size() == 3) {
        std::array<float, 3> rgb{};
        for (int i = 0; i < 3; ++i) {
            auto value = scalar_number(node[i], 0, 1);
            if (!value) return std::nullopt;
            rgb[i] = static_cast<float>(*value);
        }
        return rgb;
    }
    if (!node.IsScalar()) return std::nullopt;
    const std::string text = node.Scalar();
    if (text == "black") return std::array<float, 3>{0.f, 0.f, 0.f};
    if (text == "white") return std::array<float, 3>{1.f, 1.f, 1.f};
    if (text == "grey" || text == "gray") return std::array<float, 3>{0.5f, 0.5f, 0.5f};
    static const std::regex hex(R"(^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$)");
    std::smatch match;
    if (!std::regex_match(text, match, hex)) return std::nullopt;
    std::array<float, 3> rgb{};
    for (int i = 0; i < 3; ++i) rgb[i] = std::stoi(match[i + 1].str(), nullptr, 16) / 255.f;
    return rgb;
}

/// `WxH` or `[W, H]`: even numbers from 16 to 8192 (checked_number.h: no digit count
/// can overflow or crash the reading).
bool parse_resolution(const YAML::Node& node, int& width, int& height) {
    std::string width_text, height_text;
    if (node.IsSequence() && node.size() == 2 && node[0].IsScalar() && node[1].IsScalar()) {
        width_text = node[0].Scalar();
        height_text = node[1].Scalar();
    } else if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        const auto x = text.find('x');
        if (x == std::string::npos) return false;
        width_text = text.substr(0, x);
        height_text = text.substr(x + 1);
        if (width_text.find_first_not_of("0123456789") != std::string::npos ||
            height_text.find_first_not_of("0123456789") != std::string::npos)
            return false;
    } else {
        return false;
    }
    const auto w = parse_integer(width_text, 16, 8192);
    const auto h = parse_integer(height_text, 16, 8192);
    if (!w || !h || *w % 2 != 0 || *h % 2 != 0) return false;
    width = static_cast<int>(*w);
    height = static_cast<int>(*h);
    return true;
}

}  // namespace

void read_show_block(YamlFields& root, const std::string& file, ShowSettings& settings,
                     ShowBlock& block, Diagnostics& diagnostics) {
    if (!root.has("show")) {
        root.problem("show", "missing", "add a 'show:' block with name and frame_rate");
        return;
    }
    YamlFields show(root.node("show"), file, "show", diagnostics);
    if (!show.is_map()) return;
    show.allow_only(
        {"name", "frame_rate", "resolution", "start_timecode", "drop_frame", "background"});
    for (const auto& entry : root.node("show")) block.keys.insert(entry.first.as<std::string>(""));
    if (auto name = show.string("name", true)) settings.name = *name;
    // With a `source:`, the source's own rate (a Storyboarder scene's fps) may do.
    if (auto rate = show.string("frame_rate", !root.has("source"))) {
        if (auto parsed = FrameRate::parse(*rate))
            settings.frame_rate = *parsed;
        else
            show.problem("frame_rate", "unsupported frame rate '" + *rate + "'",
                         "use 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60 or num/den");
    }
    if (show.has("resolution") &&
        !parse_resolution(show.node("resolution"), settings.width, settings.height))
        show.problem("resolution",
                     "expected WIDTHxHEIGHT or [width, height], even numbers from 16 to 8192",
                     "for example 1920x1080");
    if (auto drop = show.boolean("drop_frame")) {
        settings.drop_frame = *drop && Timecode::supports_drop_frame(settings.frame_rate);
        if (*drop && !settings.drop_frame)
            show.problem("drop_frame", "drop-frame timecode exists only at 29.97 and 59.94");
    }
    std::string& start = block.start_timecode_text;
    if (auto text = show.string("start_timecode")) start = *text;
    settings.start_timecode_where = show.has("start_timecode")
                                        ? location_of(show.node("start_timecode"), show.file())
                                        : show.where();
    if (auto tc = Timecode::parse(start, settings.frame_rate)) {
        settings.start_timecode_frames = tc->frames();
        if (tc->drop_frame()) settings.drop_frame = true;
    } else {
        show.problem("start_timecode", "not a timecode for this frame rate: '" + start + "'",
                     "write HH:MM:SS:FF, e.g. 01:00:00:00: hours 00-23, minutes and seconds 00-59, "
                     "frames below the frame rate");
    }
    if (show.has("background")) {
        if (auto rgb = parse_colour(show.node("background")))
            settings.background = *rgb;
        else
            show.problem("background", "not a colour",
                         "use #rrggbb, black, white, grey or [r, g, b] in 0..1");
    }
}

}  // namespace storyreel
