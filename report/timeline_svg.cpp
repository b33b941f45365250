#include "report/timeline_svg.h"

#include <algorithm>
#include <cstdio>

#include "report/html_escape.h"

namespace storyreel::report {

namespace {

constexpr int kShotTop = 0, kShotHeight = 14;
constexpr int kPanelTop = 16, kPanelHeight = 40;
constexpr int kWaveTop = 60, kWaveHeight = 60;
constexpr int kFindingTop = 124, kFindingHeight = 12;
constexpr int kHeight = 140;

std::string number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

double x_of(std::int64_t frame, std::int64_t frames) {
    return frames > 0 ? static_cast<double>(frame) * kTimelineWidth / static_cast<double>(frames)
                      : 0.0;
}

void shots(const ReviewUnit& unit, std::string& svg) {
    for (std::size_t i = 0; i < unit.panels.size();) {
        std::size_t end = i;
        std::int64_t frames = 0;
        while (end < unit.panels.size() && unit.panels[end].shot == unit.panels[i].shot)
            frames += unit.panels[end++].frames;
        const double x = x_of(unit.panels[i].unit_start_frame, unit.frame_count);
        const double width = x_of(frames, unit.frame_count);
        svg += "<rect class=\"shot\" x=\"" + number(x) + "\" y=\"" + std::to_string(kShotTop) +
               "\" width=\"" + number(width) + "\" height=\"" + std::to_string(kShotHeight) +
               "\"><title>" + html_escape(unit.panels[i].shot) + "</title></rect>";
        i = end;
    }
}

void panels(const ReviewUnit& unit, std::string& svg) {
    for (std::size_t i = 0; i < unit.panels.size(); ++i) {
        const ReviewPanel& panel = unit.panels[i];
        const double x = x_of(panel.unit_start_frame, unit.frame_count);
        const double width = std::max(0.5, x_of(panel.frames, unit.frame_count));
        svg += "<a href=\"#card-" + std::to_string(i) + "\" class=\"tl-panel\" data-card=\"card-" +
               std::to_string(i) + "\"><rect x=\"" + number(x) + "\" y=\"" +
               std::to_string(kPanelTop) + "\" width=\"" + number(width) + "\" height=\"" +
               std::to_string(kPanelHeight) + "\"/><title>" + html_escape(panel.name) + " (" +
               std::to_string(panel.frames) + " fr)</title></a>";
    }
}

void waveform(const ReviewUnit& unit, std::string& svg) {
    const double middle = kWaveTop + kWaveHeight / 2.0, half = kWaveHeight / 2.0;
    svg += "<rect class=\"wave-bg\" x=\"0\" y=\"" + std::to_string(kWaveTop) + "\" width=\"" +
           std::to_string(kTimelineWidth) + "\" height=\"" + std::to_string(kWaveHeight) + "\"/>";
    if (!unit.waveform.empty()) {
        // One closed outline: the highs left to right, then the lows back.
        const double step = static_cast<double>(kTimelineWidth) / unit.waveform.size();
        std::string path = "M0 " + number(middle);
        for (std::size_t c = 0; c < unit.waveform.size(); ++c)
            path += "L" + number(c * step) + " " +
                    number(middle - std::clamp(unit.waveform[c].second, -1.f, 1.f) * half);
        for (std::size_t c = unit.waveform.size(); c-- > 0;)
            path += "L" + number(c * step) + " " +
                    number(middle - std::clamp(unit.waveform[c].first, -1.f, 1.f) * half);
        svg += "<path class=\"wave\" d=\"" + path + "Z\"/>";
    }
    for (std::size_t i = 1; i < unit.panels.size(); ++i) {
        const std::string x = number(x_of(unit.panels[i].unit_start_frame, unit.frame_count));
        svg += "<line class=\"boundary\" x1=\"" + x + "\" x2=\"" + x + "\" y1=\"" +
               std::to_string(kWaveTop) + "\" y2=\"" + std::to_string(kWaveTop + kWaveHeight) +
               "\"/>";
    }
}

void findings(const ReviewUnit& unit, const nlohmann::json& list, std::string& svg) {
    for (std::size_t f = 0; f < list.size(); ++f) {
        const auto& finding = list[f];
        const std::string where = finding_where(finding);
        for (std::size_t i = 0; i < unit.panels.size(); ++i) {
            if (where.empty() || unit.panels[i].name != where) continue;
            const double x = x_of(unit.panels[i].unit_start_frame, unit.frame_count);
            const std::string severity = finding.value("severity", std::string("warning"));
            svg += "<a href=\"#finding-" + std::to_string(f) + "\"><rect class=\"mark " +
                   html_escape(severity) + (finding.value("acknowledged", false) ? " ack" : "") +
                   "\" x=\"" + number(x) + "\" y=\"" + std::to_string(kFindingTop) + "\" width=\"" +
                   number(std::max(4.0, x_of(unit.panels[i].frames, unit.frame_count))) +
                   "\" height=\"" + std::to_string(kFindingHeight) + "\"/><title>" +
                   html_escape(finding.value("rule", std::string()) + ": " +
                               finding.value("message", std::string())) +
                   "</title></a>";
        }
    }
}

}  // namespace

std::string timeline_svg(const ReviewUnit& unit, const nlohmann::json& finding_list) {
    std::string svg = "<svg id=\"timeline\" viewBox=\"0 0 " + std::to_string(kTimelineWidth) + " " +
                      std::to_string(kHeight) +
                      "\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"timeline\">";
    shots(unit, svg);
    panels(unit, svg);
    waveform(unit, svg);
    findings(unit, finding_list, svg);
    return svg + "</svg>";
}

}  // namespace storyreel::report
