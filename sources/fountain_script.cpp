#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "sources/script_reader.h"

namespace storyreel::sources {

namespace {

std::string trim(const std::string& text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return text.substr(begin, end - begin);
}

/// Drops `[[notes]]` and `/* boneyard */`, which may span lines.
std::string strip_notes(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, 2, "[[") == 0) {
            const std::size_t end = text.find("]]", i + 2);
            for (std::size_t k = i; k < (end == std::string_view::npos ? text.size() : end + 2);
                 ++k)
                if (text[k] == '\n') out += '\n';  // keep line numbers
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else if (text.compare(i, 2, "/*") == 0) {
            const std::size_t end = text.find("*/", i + 2);
            for (std::size_t k = i; k < (end == std::string_view::npos ? text.size() : end + 2);
                 ++k)
                if (text[k] == '\n') out += '\n';
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else {
            out += text[i++];
        }
    }
    return out;
}

bool is_heading(const std::string& line) {
    static const std::regex heading(R"(^(INT|EXT|EST|INT\.?/EXT|I/E)[\. ].*)", std::regex::icase);
    return (line.size() > 1 && line[0] == '.' && line[1] != '.') || std::regex_match(line, heading);
}

bool all_caps(const std::string& line) {
    bool letter = false;
    for (char c : line) {
        if (std::islower(static_cast<unsigned char>(c))) return false;
        letter = letter || std::isupper(static_cast<unsigned char>(c));
    }
    return letter;
}

bool is_transition(const std::string& line) {
    if (line.starts_with(">") && !line.ends_with("<")) return true;
    return all_caps(line) && line.ends_with("TO:");
}

/// "EXT. HOUSE - DAY #1-ZX3ZM#" -> heading text and id.
void split_scene_id(std::string line, std::string& heading, std::string& id) {
    static const std::regex marker(R"(^(.*?)\s*#([^#]+)#\s*$)");
    std::smatch match;
    if (line.starts_with(".")) line = line.substr(1);
    if (std::regex_match(line, match, marker)) {
        heading = trim(match[1]);
        id = match[2];
    } else {
        heading = trim(line);
    }
}

}  // namespace

Screenplay parse_fountain(std::string_view text) {
    Screenplay screenplay;
    std::vector<std::string> lines;
    {
        const std::string clean = strip_notes(text);
        std::size_t start = 0;
        while (start <= clean.size()) {
            std::size_t end = clean.find('\n', start);
            if (end == std::string::npos) end = clean.size();
            std::string line = clean.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            lines.push_back(line);
            if (end == clean.size()) break;
            start = end + 1;
        }
    }
    std::size_t i = 0;
    // Title page: "Key: value" lines up to the first blank line.
    if (!lines.empty() && std::regex_match(lines[0], std::regex(R"(^[A-Za-z ]+:.*)"))) {
        while (i < lines.size() && !trim(lines[i]).empty()) ++i;
    }
    ScriptScene* scene = nullptr;
    auto add = [&](ScriptElementType type, const std::string& content, int line) {
        if (!scene) return;  // before the first heading
        scene->elements.push_back({type, content, line});
    };
    for (; i < lines.size(); ++i) {
        const std::string line = trim(lines[i]);
        const int number = static_cast<int>(i) + 1;
        if (line.empty() || line.starts_with("#") || line.starts_with("="))
            continue;  // sections, synopses, page breaks
        const bool blank_before = i == 0 || trim(lines[i - 1]).empty();
        if (blank_before && is_heading(line)) {
            ScriptScene& added = screenplay.scenes.emplace_back();
            added.number = static_cast<int>(screenplay.scenes.size());
            split_scene_id(line, added.heading, added.id);
            added.line = number;
            added.elements.push_back({ScriptElementType::Heading, added.heading, number});
            scene = &added;
            continue;
        }
        const bool next_blank = i + 1 >= lines.size() || trim(lines[i + 1]).empty();
        if (blank_before && next_blank && is_transition(line)) {
            add(ScriptElementType::Transition, line.starts_with(">") ? trim(line.substr(1)) : line,
                number);
            continue;
        }
        const bool cue =
            (line.starts_with("@") || (all_caps(line) && !line.starts_with("!"))) && !next_blank;
        if (blank_before && cue) {
            add(ScriptElementType::Character, line, number);
            for (++i; i < lines.size() && !trim(lines[i]).empty(); ++i) {
                const std::string said = trim(lines[i]);
                const bool aside = said.starts_with("(") && said.ends_with(")");
                if (!aside && scene && !scene->elements.empty() &&
                    scene->elements.back().type == ScriptElementType::Dialogue)
                    scene->elements.back().text += "\n" + said;
                else
                    add(aside ? ScriptElementType::Parenthetical : ScriptElementType::Dialogue,
                        said, static_cast<int>(i) + 1);
            }
            continue;
        }
        // Action: this line and the following until a blank line.
        std::string action = line.starts_with("!") ? line.substr(1) : line;
        if (action.starts_with(">") && action.ends_with("<"))
            action = trim(action.substr(1, action.size() - 2));
        while (i + 1 < lines.size() && !trim(lines[i + 1]).empty())
            action += "\n" + trim(lines[++i]);
        add(ScriptElementType::Action, action, number);
    }
    return screenplay;
}

}  // namespace storyreel::sources
