#include "sources/file_name_pattern.h"

#include <map>

#include "pipeline/checked_number.h"

namespace storyreel::sources {

namespace {

constexpr const char* kNameField = "([A-Za-z0-9][A-Za-z0-9-]*)";
constexpr const char* kVersionField = "([0-9]+)";

std::string escaped(char c) {
    static const std::string special = R"(\^$.|?*+()[]{}/)";
    return special.find(c) != std::string::npos ? std::string("\\") + c : std::string(1, c);
}

}  // namespace

std::optional<FileNamePattern> FileNamePattern::parse(const std::string& text, std::string& error) {
    FileNamePattern pattern;
    pattern.text_ = text;
    std::string regex;
    std::map<std::string, int*> groups{{"sequence", &pattern.sequence_group_},
                                       {"shot", &pattern.shot_group_},
                                       {"panel", &pattern.panel_group_},
                                       {"version", &pattern.version_group_}};
    int group = 0, depth = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '{') {
            const auto end = text.find('}', i);
            const std::string field =
                end == std::string::npos ? "" : text.substr(i + 1, end - i - 1);
            auto found = groups.find(field);
            if (found == groups.end()) {
                error =
                    "unknown field '{" + field + "}' (use {sequence}, {shot}, {panel}, {version})";
                return std::nullopt;
            }
            if (*found->second != 0) {
                error = "{" + field + "} appears twice";
                return std::nullopt;
            }
            *found->second = ++group;
            regex += field == "version" ? kVersionField : kNameField;
            i = end;
        } else if (c == '[') {
            ++depth;
            regex += "(?:";
        } else if (c == ']') {
            if (--depth < 0) break;
            regex += ")?";
        } else {
            regex += escaped(c);
        }
    }
    if (depth != 0) {
        error = "unbalanced [ ]";
        return std::nullopt;
    }
    if (!pattern.sequence_group_ || !pattern.shot_group_ || !pattern.panel_group_) {
        error = "needs {sequence}, {shot} and {panel}";
        return std::nullopt;
    }
    pattern.regex_ = std::regex(regex);
    return pattern;
}

std::optional<ParsedFileName> FileNamePattern::match(const std::string& stem) const {
    std::smatch match;
    if (!std::regex_match(stem, match, regex_)) return std::nullopt;
    ParsedFileName parsed{match[sequence_group_], match[shot_group_], match[panel_group_], 0};
    if (version_group_ && match[version_group_].matched) {
        const auto version = parse_integer(match[version_group_].str(), 0, 999'999);
        if (!version) return std::nullopt;
        parsed.version = static_cast<int>(*version);
    }
    return parsed;
}

}  // namespace storyreel::sources
