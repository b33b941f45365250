#include "sources/source_show.h"

#include <cmath>
#include <cstdio>

namespace storyreel::sources {

void apply_source_frame_rate(double fps, const std::set<std::string>& show_keys, ShowSettings& show,
                             const SourceLocation& where, Diagnostics& diagnostics) {
    if (show_keys.count("frame_rate")) return;
    char text[32];
    if (std::fabs(fps - std::round(fps)) < 1e-9)
        std::snprintf(text, sizeof text, "%lld", static_cast<long long>(std::llround(fps)));
    else
        std::snprintf(text, sizeof text, "%.3f", fps);
    std::string name = text;
    while (name.find('.') != std::string::npos && (name.back() == '0' || name.back() == '.'))
        name.pop_back();
    if (auto rate = FrameRate::parse(name))
        show.frame_rate = *rate;
    else
        diagnostics.add(where, "scene", "unsupported frame rate " + name + " fps",
                        "set show.frame_rate in a project YAML with a 'source:' block");
}

void apply_source_aspect_ratio(double aspect, const std::set<std::string>& show_keys,
                               ShowSettings& show) {
    if (show_keys.count("resolution") || !(aspect > 0)) return;
    auto even = [](double value) {
        return std::max(16, 2 * static_cast<int>(std::lround(value / 2)));
    };
    if (aspect >= 16.0 / 9.0) {
        show.width = 1920;
        show.height = even(1920 / aspect);
    } else {
        show.height = 1080;
        show.width = even(1080 * aspect);
    }
}

std::string safe_name(const std::string& text) {
    std::string name;
    for (char c : text) {
        const bool plain =
            std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        name += plain ? c : '_';
    }
    while (!name.empty() && (name.front() == '.' || name.front() == '-')) name.erase(0, 1);
    for (auto at = name.find(".."); at != std::string::npos; at = name.find(".."))
        name.replace(at, 2, "_");
    if (name.size() > 64) name.resize(64);
    return name.empty() ? "untitled" : name;
}

}  // namespace storyreel::sources
