#include "checks/check_table.h"

#include <cstdio>

#include "checks/check_context.h"
#include "checks/script_text.h"

namespace storyreel::checks {

namespace {

std::string pad(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

std::string value_text(const std::optional<double>& value, const std::string& unit) {
    if (!value) return "-";
    return format_number(*value) + (unit.empty() ? "" : " " + unit);
}

std::string scene_title(const SceneBreakdown* scene) {
    if (!scene || scene->heading.empty()) return {};
    return "  (scene " + std::to_string(scene->scene_number) + ": " + scene->heading + ")";
}

std::string join(const std::vector<std::string>& items, const char* separator) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

}  // namespace

std::string check_table(const CheckReport& report) {
    std::string out;
    std::string current = "\x01";
    for (const auto& finding : report.findings) {
        if (finding.sequence != current) {
            current = finding.sequence;
            const SceneBreakdown* scene = nullptr;
            for (const auto& row : report.breakdown)
                if (!current.empty() && row.sequence == current) scene = &row;
            out += "\n" + (current.empty() ? std::string("script") : current) + scene_title(scene) +
                   "\n";
            out += "  " + pad("SEVERITY", 9) + pad("RULE", 18) + pad("WHERE", 16) +
                   pad("RECORD IN", 13) + pad("MEASURED", 16) + pad("LIMIT", 16) + "MESSAGE\n";
        }
        std::string where = finding.shot;
        if (!finding.panel.empty()) where += "/" + finding.panel;
        if (where.empty()) where = "-";
        std::string severity = severity_name(finding.severity);
        if (finding.acknowledged) severity = "ack";
        out += "  " + pad(severity, 9) + pad(finding.rule, 18) + pad(where, 16) +
               pad(finding.record_in.empty() ? "-" : finding.record_in, 13) +
               pad(value_text(finding.measured, finding.unit), 16) +
               pad(value_text(finding.limit, finding.unit), 16) + finding.message + "\n";
        std::string note = finding.hint;
        if (finding.acknowledged)
            note = "acknowledged" +
                   (finding.ack_reason.empty() ? std::string() : ": " + finding.ack_reason);
        if (!note.empty())
            out += "  " + std::string(9 + 18 + 16 + 13 + 16 + 16, ' ') + "-> " + note + "\n";
    }
    if (report.findings.empty()) out += "\nno findings\n";
    out += "\nbreakdown\n";
    for (const auto& scene : report.breakdown) {
        char line[512];
        std::snprintf(
            line, sizeof line,
            "  %-16s %-8s %-6s %-10s %3d boards %3d shots %2d moves %2d transitions %8.1f s",
            scene.sequence.empty() ? "(no boards)" : scene.sequence.c_str(),
            scene.int_ext.empty() ? "-" : scene.int_ext.c_str(),
            scene.time_of_day.empty() ? "-" : scene.time_of_day.c_str(),
            scene.script_eighths ? (eighths_text(*scene.script_eighths) + " pg").c_str() : "-",
            scene.boards, scene.shots, scene.camera_moves, scene.transitions, scene.seconds);
        out += line;
        if (!scene.location.empty()) out += "  " + scene.location;
        out += "\n";
        if (!scene.characters.empty())
            out += "      characters: " + join(scene.characters, ", ") + "\n";
        for (const auto& flag : scene.flags)
            out += "      flag " + flag.flag + ": " +
                   (flag.panel.empty() ? std::string("script") : flag.panel) + " (" +
                   join(flag.words, ", ") + ")\n";
    }
    out += "\n" + report.summary() + "\n";
    return out;
}

}  // namespace storyreel::checks
