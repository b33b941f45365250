#include "report/changes_html.h"

#include "report/html_escape.h"
#include "report/review_data.h"

namespace storyreel::report {

using nlohmann::json;

namespace {

std::string thumbnail(const PanelThumbnails& thumbnails, const std::string& panel,
                      const char* label) {
    const auto found = thumbnails.find(panel);
    if (found == thumbnails.end()) return {};
    return "<figure><img loading=\"lazy\" src=\"" + html_escape(found->second) + "\" alt=\"" +
           html_escape(panel) + " " + label + "\"><figcaption>" + label + "</figcaption></figure>";
}

std::string frames_of(const json& entry, const char* side) {
    const auto placement = entry.find(side);
    if (placement == entry.end() || !placement->is_object()) return "?";
    return placement->value("frames", json()).dump();
}

std::string panel_list(const json& changes, const char* kind, const char* title,
                       const std::function<std::string(const json&)>& detail) {
    const json panels = changes.value("panels", json::object()).value(kind, json::array());
    if (panels.empty()) return {};
    std::string html = "<h3>" + std::string(title) + " (" + std::to_string(panels.size()) +
                       ")</h3><ul class=\"changes " + kind + "\">";
    for (const auto& entry : panels)
        html += "<li class=\"change\" data-kind=\"" + std::string(kind) + "\" data-panel=\"" +
                html_escape(entry.value("panel", "")) + "\"><b>" +
                html_escape(entry.value("panel", "")) + "</b> " + detail(entry) + "</li>";
    return html + "</ul>";
}

std::string finding_list(const json& changes, const char* kind, const char* title) {
    const json findings = changes.value("findings", json::object()).value(kind, json::array());
    if (findings.empty()) return {};
    std::string html =
        "<h3>" + std::string(title) + " (" + std::to_string(findings.size()) + ")</h3><ul>";
    for (const auto& finding : findings) {
        std::string where = finding_where(finding);
        if (where.empty()) where = "the whole cut";
        html += "<li class=\"change\" data-kind=\"finding_" + std::string(kind) + "\">" +
                html_escape(finding.value("rule", "")) + " at " + html_escape(where) + ": " +
                html_escape(finding.value("message", "")) + "</li>";
    }
    return html + "</ul>";
}

}  // namespace

std::string changes_html(const json& changes, const std::string& previous_version,
                         const PanelThumbnails& before, const PanelThumbnails& after) {
    std::string html =
        "<section id=\"changes\"><h2>Changes since " + html_escape(previous_version) + "</h2>";
    std::string body;
    body += panel_list(changes, "redrawn", "Redrawn", [&](const json& entry) {
        const std::string panel = entry.value("panel", "");
        return "<div class=\"side-by-side\">" + thumbnail(before, panel, "before") +
               thumbnail(after, panel, "after") + "</div>";
    });
    body += panel_list(changes, "retimed", "Re-timed", [](const json& entry) {
        return frames_of(entry, "before") + " &rarr; " + frames_of(entry, "after") + " frames";
    });
    body += panel_list(changes, "added", "Added", [&](const json& entry) {
        return thumbnail(after, entry.value("panel", ""), "new");
    });
    body += panel_list(changes, "removed", "Removed", [&](const json& entry) {
        return thumbnail(before, entry.value("panel", ""), "removed");
    });
    body += finding_list(changes, "new", "New findings");
    body += finding_list(changes, "resolved", "Resolved findings");
    if (body.empty()) body = "<p>No panel changes and no finding changed.</p>";
    return html + body + "</section>";
}

}  // namespace storyreel::report
