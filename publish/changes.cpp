#include "publish/changes.h"

#include <map>
#include <set>
#include <sstream>

#include "pipeline/json_number.h"

namespace storyreel::publish {

using nlohmann::json;

namespace {

/// Names of the panels present in both lists that keep their relative order (a longest
/// common subsequence); the other common panels were re-ordered.
std::set<std::string> panels_in_order(const std::vector<std::string>& before,
                                      const std::vector<std::string>& after) {
    const std::size_t n = before.size(), m = after.size();
    std::vector<std::vector<int>> length(n + 1, std::vector<int>(m + 1, 0));
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            length[i][j] = before[i] == after[j] ? length[i + 1][j + 1] + 1
                                                 : std::max(length[i + 1][j], length[i][j + 1]);
    std::set<std::string> kept;
    for (std::size_t i = 0, j = 0; i < n && j < m;) {
        if (before[i] == after[j]) {
            kept.insert(before[i]);
            ++i, ++j;
        } else if (length[i + 1][j] >= length[i][j + 1]) {
            ++i;
        } else {
            ++j;
        }
    }
    return kept;
}

json placement(const json& panel) {
    return {{"frames", panel.at("frames")},
            {"record_in", panel.at("record_in")},
            {"record_out", panel.at("record_out")}};
}

/// Record in/out of every shot of a manifest.
std::map<std::string, json> shot_ranges(const json& manifest) {
    std::map<std::string, json> shots;
    if (manifest.is_null()) return shots;
    for (const auto& panel : manifest.at("panels")) {
        const std::string shot = panel.at("shot");
        if (!shots.count(shot)) shots[shot] = {{"record_in", panel.at("record_in")}};
        shots[shot]["record_out"] = panel.at("record_out");
    }
    return shots;
}

std::string short_name(const std::string& panel) { return panel.substr(panel.rfind('/') + 1); }

json compare_panels(const json& previous, const json& current,
                    std::map<std::string, std::vector<std::string>>& reasons) {
    std::map<std::string, json> before, after;
    std::vector<std::string> before_order, after_order;
    if (!previous.is_null())
        for (const auto& panel : previous.at("panels")) {
            before[panel.at("panel")] = panel;
            before_order.push_back(panel.at("panel"));
        }
    for (const auto& panel : current.at("panels")) {
        after[panel.at("panel")] = panel;
        after_order.push_back(panel.at("panel"));
    }
    json changes;
    for (const char* kind : {"added", "removed", "reordered", "retimed", "redrawn", "audio_changed",
                             "text_changed", "look_changed"})
        changes[kind] = json::array();
    auto note = [&](const json& panel, const std::string& why) {
        reasons[panel.at("shot")].push_back(short_name(panel.at("panel")) + " " + why);
    };
    std::vector<std::string> common_before, common_after;
    for (const auto& name : before_order)
        if (after.count(name)) common_before.push_back(name);
    for (const auto& name : after_order)
        if (before.count(name)) common_after.push_back(name);
    const std::set<std::string> kept = panels_in_order(common_before, common_after);
    for (const auto& name : before_order)
        if (!after.count(name)) {
            changes["removed"].push_back({{"panel", name},
                                          {"shot", before[name].at("shot")},
                                          {"before", placement(before[name])}});
            note(before[name], "removed");
        }
    for (const auto& name : after_order) {
        const json& now = after[name];
        if (!before.count(name)) {
            changes["added"].push_back(
                {{"panel", name}, {"shot", now.at("shot")}, {"after", placement(now)}});
            note(now, "added");
            continue;
        }
        const json& was = before[name];
        const json entry = {{"panel", name},
                            {"shot", now.at("shot")},
                            {"before", placement(was)},
                            {"after", placement(now)}};
        if (!kept.count(name)) {
            changes["reordered"].push_back(entry);
            note(now, "re-ordered");
        }
        if (was.at("frames") != now.at("frames")) {
            changes["retimed"].push_back(entry);
            note(now, "re-timed " + was.at("frames").dump() + " -> " + now.at("frames").dump() +
                          " frames");
        }
        if (was.at("board_hash") != now.at("board_hash")) {
            changes["redrawn"].push_back(entry);
            note(now, "redrawn");
        }
        if (was.at("audio") != now.at("audio")) {
            changes["audio_changed"].push_back(entry);
            note(now, "audio changed");
        }
        if (was.at("dialogue") != now.at("dialogue") || was.at("notes") != now.at("notes")) {
            changes["text_changed"].push_back(entry);
            note(now, "dialogue/notes changed");
        }
        if (was.value("look", "") != now.value("look", "")) {
            changes["look_changed"].push_back(entry);
            note(now, "look changed");
        }
    }
    return changes;
}

json changed_stages(const json& previous, const json& current) {
    json names = json::array();
    if (previous.is_null()) return names;
    std::map<std::string, json> before;
    for (const auto& stage : previous.at("stages")) before[stage.at("name")] = stage.at("settings");
    for (const auto& stage : current.at("stages")) {
        if (stage.value("type", "") == "publish") continue;  // where it goes, not what it is
        auto found = before.find(stage.at("name"));
        if (found == before.end() || found->second != stage.at("settings"))
            names.push_back(stage.at("name"));
    }
    return names;
}

/// What identifies a finding between versions: its rule, place and unit (a panel may
/// have one caption_rate finding per unit); its measured value may change.
std::string finding_key(const json& finding) {
    return finding.value("rule", std::string()) + " " + finding.value("sequence", std::string()) +
           "/" + finding.value("shot", std::string()) + "/" +
           finding.value("panel", std::string()) + " " + finding.value("unit", std::string());
}

/// Findings of `current` not in `previous` ("new") and the reverse ("resolved"); null when
/// either version recorded no checks (nothing to compare).
json compare_findings(const json& previous, const json& current) {
    if (previous.is_null() || !previous.contains("checks") || !current.contains("checks"))
        return nullptr;
    std::map<std::string, json> before, after;
    for (const auto& finding : previous["checks"].value("findings", json::array()))
        before[finding_key(finding)] = finding;
    for (const auto& finding : current["checks"].value("findings", json::array()))
        after[finding_key(finding)] = finding;
    json added = json::array(), resolved = json::array();
    for (const auto& [key, finding] : after)
        if (!before.count(key)) added.push_back(finding);
    for (const auto& [key, finding] : before)
        if (!after.count(key)) resolved.push_back(finding);
    return {{"new", added}, {"resolved", resolved}};
}

}  // namespace

const std::vector<std::string>& panel_change_kinds() {
    static const std::vector<std::string> kinds{"added",       "reordered",     "retimed",
                                                "redrawn",     "audio_changed", "text_changed",
                                                "look_changed"};
    return kinds;
}

json compare_manifests(const json& previous, const json& current) {
    std::map<std::string, std::vector<std::string>> reasons;
    json changes = {
        {"sequence", current.at("sequence")},
        {"version", json_integer_or(current, "version", 0, 0, std::numeric_limits<int>::max())},
        {"against_version", previous.is_null() ? json() : previous.at("version")},
        {"frame_count",
         {{"before", previous.is_null() ? json() : previous.at("frame_count")},
          {"after", current.at("frame_count")}}},
        {"panels", compare_panels(previous, current, reasons)},
        {"sequence_audio_changed",
         !previous.is_null() && previous.at("audio") != current.at("audio")},
        {"stages_changed", changed_stages(previous, current)},
    };
    const auto before = shot_ranges(previous), after = shot_ranges(current);
    json shots = json::array();
    for (const auto& [shot, why] : reasons) {
        auto was = before.find(shot);
        auto now = after.find(shot);
        shots.push_back({{"shot", shot},
                         {"changes", why},
                         {"before", was == before.end() ? json() : was->second},
                         {"after", now == after.end() ? json() : now->second}});
    }
    changes["shots"] = shots;
    // Shots whose content is the same but whose place in the cut moved (a change before them).
    json moved = json::array();
    for (const auto& [shot, now] : after) {
        auto was = before.find(shot);
        if (reasons.count(shot) || was == before.end() || was->second == now) continue;
        moved.push_back({{"shot", shot}, {"before", was->second}, {"after", now}});
    }
    changes["shots_moved"] = moved;
    changes["findings"] = compare_findings(previous, current);
    json summary = json::object();
    for (const auto& [kind, list] : changes["panels"].items()) summary[kind] = list.size();
    changes["summary"] = summary;
    return changes;
}

std::string summarize_changes(const json& changes) {
    if (changes.at("against_version").is_null()) return "first version";
    static const std::map<std::string, std::string> labels{
        {"added", "added"},
        {"removed", "removed"},
        {"reordered", "re-ordered"},
        {"retimed", "re-timed"},
        {"redrawn", "redrawn"},
        {"audio_changed", "audio changed"},
        {"text_changed", "dialogue/notes changed"},
        {"look_changed", "look changed"}};
    std::string text;
    for (const auto& [kind, label] : labels) {
        const auto count = changes.at("summary").value(kind, 0);
        if (count > 0) text += (text.empty() ? "" : ", ") + std::to_string(count) + " " + label;
    }
    if (changes.value("sequence_audio_changed", false))
        text += std::string(text.empty() ? "" : ", ") + "temp audio changed";
    if (!changes.at("stages_changed").empty())
        text += std::string(text.empty() ? "" : ", ") + "settings changed";
    if (const json findings = changes.value("findings", json()); findings.is_object()) {
        if (!findings["new"].empty())
            text += std::string(text.empty() ? "" : ", ") + std::to_string(findings["new"].size()) +
                    " new finding(s)";
        if (!findings["resolved"].empty())
            text += std::string(text.empty() ? "" : ", ") +
                    std::to_string(findings["resolved"].size()) + " finding(s) resolved";
    }
    return text.empty() ? "no panel changes" : text;
}

namespace {

std::string range(const json& place) {
    if (place.is_null()) return "-";
    return place.at("record_in").get<std::string>() + "-" +
           place.at("record_out").get<std::string>();
}

void list_panels(std::ostringstream& out, const json& changes, const std::string& kind,
                 const std::string& title) {
    const json& list = changes.at("panels").at(kind);
    if (list.empty()) return;
    out << "\n" << title << ":\n";
    for (const auto& entry : list) {
        const json before = entry.value("before", json()), after = entry.value("after", json());
        out << "  " << entry.at("panel").get<std::string>();
        if (kind == "retimed")
            out << "  " << before.at("frames").dump() << " -> " << after.at("frames").dump()
                << " frames";
        if (kind == "removed")
            out << "  was " << range(before);
        else if (before.is_null())
            out << "  at " << range(after);
        else
            out << "  " << range(before) << " -> " << range(after);
        out << "\n";
    }
}

void list_findings(std::ostringstream& out, const json& changes, const char* kind,
                   const char* title) {
    const json findings = changes.value("findings", json());
    if (!findings.is_object() || findings[kind].empty()) return;
    out << "\n" << title << ":\n";
    for (const auto& finding : findings[kind]) {
        std::string where = finding.value("sequence", std::string());
        for (const char* part : {"shot", "panel"})
            if (!finding.value(part, std::string()).empty())
                where += "/" + finding.value(part, std::string());
        out << "  " << finding.value("severity", std::string()) << "  "
            << finding.value("rule", std::string()) << "  " << where << "  "
            << finding.value("record_in", std::string()) << "  "
            << finding.value("message", std::string()) << "\n";
    }
}

}  // namespace

std::string describe_changes(const json& changes) {
    std::ostringstream out;
    out << changes.at("sequence").get<std::string>() << " v"
        << json_integer_or(changes, "version", 0, 0, std::numeric_limits<int>::max());
    if (changes.at("against_version").is_null()) {
        out << ": first version, " << changes.at("frame_count").at("after").dump() << " frames\n";
        return out.str();
    }
    const int against = changes.at("against_version");
    out << " against v" << against << ": " << summarize_changes(changes) << "\n";
    out << "Duration: " << changes.at("frame_count").at("before").dump() << " -> "
        << changes.at("frame_count").at("after").dump() << " frames\n";
    list_panels(out, changes, "added", "Added");
    list_panels(out, changes, "removed", "Removed");
    list_panels(out, changes, "reordered", "Re-ordered");
    list_panels(out, changes, "retimed", "Re-timed (old -> new frames)");
    list_panels(out, changes, "redrawn", "Redrawn");
    list_panels(out, changes, "audio_changed", "Panel audio changed");
    list_panels(out, changes, "text_changed", "Dialogue or notes changed");
    list_panels(out, changes, "look_changed", "Look changed (camera move, transition, fade)");
    if (changes.value("sequence_audio_changed", false))
        out << "\nTemp audio of the sequence changed.\n";
    if (!changes.at("stages_changed").empty())
        out << "\nStage settings changed: " << changes.at("stages_changed").dump() << "\n";
    if (!changes.at("shots").empty()) {
        out << "\nShots affected (record timecode before -> after):\n";
        for (const auto& shot : changes.at("shots")) {
            out << "  " << shot.at("shot").get<std::string>() << "  " << range(shot.at("before"))
                << " -> " << range(shot.at("after")) << "  (";
            std::string why;
            for (const auto& reason : shot.at("changes"))
                why += (why.empty() ? "" : "; ") + reason.get<std::string>();
            out << why << ")\n";
        }
    }
    list_findings(out, changes, "new", "New findings (storyreel check)");
    list_findings(out, changes, "resolved", "Findings resolved");
    if (!changes.value("shots_moved", json::array()).empty()) {
        out << "\nShots moved, content unchanged (record timecode before -> after):\n";
        for (const auto& shot : changes.at("shots_moved"))
            out << "  " << shot.at("shot").get<std::string>() << "  " << range(shot.at("before"))
                << " -> " << range(shot.at("after")) << "\n";
    }
    return out.str();
}

}  // namespace storyreel::publish
