#include "report/review_page.h"

#include "report/changes_html.h"
#include "report/contact_sheet.h"
#include "report/html_escape.h"
#include "report/review_page_style.h"
#include "report/timeline_svg.h"

namespace storyreel::report {

using nlohmann::json;

namespace {

std::string text_of(const json& object, const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null()) return {};
    return html_escape(found->is_string() ? found->get<std::string>() : found->dump());
}

/// The card a finding concerns: its panel's, else the first card of its shot or sequence.
std::string card_of(const ReviewUnit& unit, const json& finding) {
    const std::string where = finding_where(finding);
    if (where.empty()) return {};
    for (std::size_t i = 0; i < unit.panels.size(); ++i)
        if (unit.panels[i].name == where || unit.panels[i].shot == where ||
            unit.panels[i].name.rfind(where + "/", 0) == 0)
            return "card-" + std::to_string(i);
    return {};
}

std::string findings_html(const ReviewUnit& unit, const json& findings) {
    std::string html = "<section id=\"findings-section\"><h2>Findings (" +
                       std::to_string(findings.size()) + ")</h2>";
    if (findings.empty())
        return html +
               "<p>The production checks found nothing.</p><table "
               "id=\"findings\"><tbody></tbody></table></section>";
    html +=
        "<table id=\"findings\"><thead><tr><th>Where</th><th>Record</th><th>Severity</th>"
        "<th>Rule</th><th>What</th><th>What to do</th><th>Status</th></tr></thead><tbody>";
    for (std::size_t f = 0; f < findings.size(); ++f) {
        const json& finding = findings[f];
        const bool acknowledged = finding.value("acknowledged", false);
        const std::string card = card_of(unit, finding);
        std::string where = html_escape(finding_where(finding));
        if (where.empty()) where = "whole cut";
        html +=
            "<tr id=\"finding-" + std::to_string(f) + "\"" +
            (acknowledged ? " class=\"ack\"" : "") + " data-rule=\"" + text_of(finding, "rule") +
            "\"><td>" + (card.empty() ? where : "<a href=\"#" + card + "\">" + where + "</a>") +
            "</td><td>" + text_of(finding, "record_in") + "</td><td>" +
            text_of(finding, "severity") + "</td><td>" + text_of(finding, "rule") + "</td><td>" +
            text_of(finding, "message") + "</td><td>" + text_of(finding, "hint") + "</td><td>" +
            (acknowledged ? "acknowledged" + (text_of(finding, "ack_reason").empty()
                                                  ? std::string()
                                                  : ": " + text_of(finding, "ack_reason"))
                          : std::string("open")) +
            "</td></tr>";
    }
    return html + "</tbody></table></section>";
}

std::string breakdown_html(const ReviewUnit& unit, const json& scenes) {
    std::string html = "<section id=\"breakdown\"><h2>Breakdown</h2>";
    if (scenes.empty())
        return html + "<p>No scene breakdown (the build ran without checks).</p></section>";
    html +=
        "<table><thead><tr><th>Sequence</th><th>Scene</th><th>INT/EXT</th><th>Location</th>"
        "<th>Time</th><th>Characters</th><th>Flags</th><th>Boards</th><th>Shots</th>"
        "<th>Seconds</th></tr></thead><tbody>";
    for (const json& scene : scenes) {
        std::string characters, flags;
        for (const auto& name : scene.value("characters", json::array()))
            characters += (characters.empty() ? "" : ", ") + html_escape(name.get<std::string>());
        for (const auto& flag : scene.value("flags", json::array())) {
            const std::string panel = flag.value("panel", std::string());
            std::string card;
            for (std::size_t i = 0; i < unit.panels.size() && card.empty(); ++i)
                if (unit.panels[i].name == panel) card = "card-" + std::to_string(i);
            const std::string label = text_of(flag, "flag");
            flags += (flags.empty() ? "" : ", ") +
                     (card.empty() ? label : "<a href=\"#" + card + "\">" + label + "</a>");
        }
        html += "<tr><td>" + text_of(scene, "sequence") + "</td><td>" + text_of(scene, "heading") +
                "</td><td>" + text_of(scene, "int_ext") + "</td><td>" + text_of(scene, "location") +
                "</td><td>" + text_of(scene, "time_of_day") + "</td><td>" + characters +
                "</td><td>" + flags + "</td><td>" + text_of(scene, "boards") + "</td><td>" +
                text_of(scene, "shots") + "</td><td>" + text_of(scene, "seconds") + "</td></tr>";
    }
    return html + "</tbody></table></section>";
}

std::string provenance_html(const BuildFacts& facts) {
    std::string html =
        "<section id=\"provenance\"><h2>Provenance</h2><p>Every frame of this cut comes from a "
        "board listed here; nothing else went into it. Built by storyreel " +
        html_escape(facts.tool_version) + " on " + html_escape(facts.built_at) + " with pipeline " +
        html_escape(facts.pipeline) + ".</p><p id=\"publish-version\">" +
        std::string(kVersionMark) +
        "</p><table><thead><tr><th>Role</th><th>File</th><th>Content "
        "hash</th></tr></thead><tbody>";
    for (const json& input : facts.inputs)
        html += "<tr><td>" + text_of(input, "role") + "</td><td>" + text_of(input, "path") +
                "</td><td class=\"hash\">" + text_of(input, "hash") + "</td></tr>";
    html +=
        "</tbody></table><h2>Build settings</h2><table><thead><tr><th>Stage</th><th>Type</th>"
        "<th>Settings</th></tr></thead><tbody>";
    for (const json& stage : facts.stages)
        html += "<tr><td>" + text_of(stage, "name") + "</td><td>" + text_of(stage, "type") +
                "</td><td class=\"hash\">" + text_of(stage, "settings") + "</td></tr>";
    return html + "</tbody></table></section>";
}

}  // namespace

std::string review_page_html(const ReviewUnit& unit, const BuildFacts& facts) {
    const std::string title = html_escape(unit.show) + " " + html_escape(unit.name);
    std::string html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>" +
        title + " review</title><style>" + kReviewPageStyle + "</style></head>\n<body data-fps=\"" +
        std::to_string(static_cast<double>(unit.fps_num) / unit.fps_den) + "\">";
    html +=
        "<header><h1>" + title + "</h1><p>" + std::to_string(unit.panels.size()) + " panels, " +
        std::to_string(unit.frame_count) + " frames (" +
        seconds_text(unit.frame_count, unit.fps_num, unit.fps_den) + ") from " +
        html_escape(unit.start_timecode) + ", " + std::to_string(facts.findings.size()) +
        " finding(s)</p><nav><a href=\"#timeline-section\">Timeline</a><a "
        "href=\"#contact-sheet\">Contact sheet</a><a href=\"#findings-section\">Findings</a><a "
        "href=\"#breakdown\">Breakdown</a><a href=\"#provenance\">Provenance</a></nav></header>\n";
    if (!unit.movie.empty())
        html += "<section id=\"movie\"><video controls preload=\"metadata\" src=\"" +
                html_escape(unit.movie) + "\"></video></section>\n";
    html += std::string(kChangesMark) + "\n";  // a published version's changes go here
    html += "<section id=\"timeline-section\"><h2>Timeline</h2>" +
            timeline_svg(unit, facts.findings) + "</section>\n";
    html += contact_sheet_html(unit, facts.findings) + "\n";
    html += findings_html(unit, facts.findings) + "\n" + breakdown_html(unit, facts.breakdown) +
            "\n" + provenance_html(facts) + "\n";
    html += "<pre id=\"selftest\" hidden></pre><script>" + std::string(kReviewPageScript) +
            "</script></body></html>\n";
    return html;
}

}  // namespace storyreel::report
