#include "report/contact_sheet.h"

#include <cstdio>
#include <map>

#include "report/html_escape.h"

namespace storyreel::report {

namespace {

/// One labelled text of a card, left out when empty.
std::string text_block(const char* css_class, const char* label, const std::string& text) {
    if (text.empty()) return {};
    return std::string("<p class=\"") + css_class + "\"><b>" + label + "</b> " + html_escape(text) +
           "</p>";
}

std::string card(const ReviewUnit& unit, std::size_t index, std::size_t findings) {
    const ReviewPanel& panel = unit.panels[index];
    const std::string id = "card-" + std::to_string(index);
    std::string html = "<article class=\"card\" id=\"" + id + "\" data-start=\"" +
                       std::to_string(panel.unit_start_frame) + "\" data-frames=\"" +
                       std::to_string(panel.frames) + "\">";
    html += "<img loading=\"lazy\" decoding=\"async\" src=\"" + html_escape(panel.thumbnail) +
            "\" width=\"" + std::to_string(panel.thumbnail_width) + "\" height=\"" +
            std::to_string(panel.thumbnail_height) + "\" alt=\"" + html_escape(panel.name) + "\">";
    html += "<h3>" + html_escape(panel.panel) + "</h3>";
    html += "<p class=\"timing\"><span class=\"tc\">" + html_escape(panel.record_timecode) +
            "</span> <span class=\"hold\">" + std::to_string(panel.frames) + " fr / " +
            seconds_text(panel.frames, unit.fps_num, unit.fps_den) +
            "</span> <span class=\"source\">" + html_escape(panel.timing_source) + "</span></p>";
    if (!panel.transition.empty() || !panel.camera.empty() || panel.fade_out > 0) {
        html += "<p class=\"look\">";
        if (!panel.transition.empty())
            html += "<span class=\"icon transition\" title=\"transition in\">&#x29D6; " +
                    html_escape(panel.transition) + "</span> ";
        if (!panel.camera.empty())
            html += "<span class=\"icon camera\" title=\"camera move\">&#x1F3A5; " +
                    html_escape(panel.camera) + "</span> ";
        if (panel.fade_out > 0)
            html += "<span class=\"icon fade\" title=\"fade out\">&#x25D1; fade out " +
                    std::to_string(panel.fade_out) + "</span>";
        html += "</p>";
    }
    html += text_block("dialogue", "Dialogue", panel.dialogue);
    html += text_block("action", "Action", panel.action);
    html += text_block("notes", "Notes", panel.notes);
    if (findings > 0)
        html += "<p class=\"badge\"><a href=\"#findings\">" + std::to_string(findings) +
                " finding" + (findings == 1 ? "" : "s") + "</a></p>";
    return html + "</article>";
}

}  // namespace

std::string seconds_text(std::int64_t frames, int num, int den) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s",
                  num > 0 ? static_cast<double>(frames) * den / num : 0.0);
    return text;
}

std::string contact_sheet_html(const ReviewUnit& unit, const nlohmann::json& findings) {
    std::string html = "<section id=\"contact-sheet\"><h2>Contact sheet</h2>";
    std::map<std::string, std::size_t> counts;  // findings per panel, found once each
    for (const auto& finding : findings) ++counts[finding_where(finding)];
    std::string shot;
    for (std::size_t i = 0; i < unit.panels.size(); ++i) {
        if (i == 0 || unit.panels[i].shot != shot) {
            if (i > 0) html += "</div></div>";
            shot = unit.panels[i].shot;
            html += "<div class=\"shot-group\"><h2 class=\"shot-name\">" + html_escape(shot) +
                    "</h2><div class=\"cards\">";
        }
        const auto found = counts.find(unit.panels[i].name);
        html += card(unit, i, found == counts.end() ? 0 : found->second);
    }
    if (!unit.panels.empty()) html += "</div></div>";
    return html + "</section>";
}

}  // namespace storyreel::report
