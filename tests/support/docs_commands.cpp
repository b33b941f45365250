#include "tests/support/docs_commands.h"

#include <cctype>
#include <optional>
#include <regex>
#include <sstream>

namespace storyreel::testing {

namespace {

const std::string kNotRunMarker = "not run by the docs test";

/// A physical line of a command, split like sh does (no expansion).
struct SplitLine {
    std::vector<std::string> words;
    std::string code;                ///< the line before its comment, trimmed
    std::string comment;             ///< after an unquoted `#` that starts a word, trimmed
    std::optional<char> shell_only;  ///< first unquoted character only a shell understands
};

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

SplitLine split_sh(const std::string& line) {
    SplitLine split;
    std::string word;
    bool in_word = false;
    char quote = 0;
    std::size_t i = 0;
    for (; i < line.size(); ++i) {
        const char c = line[i];
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                word += c;
            continue;
        }
        if (quote == '"') {
            if (c == '"')
                quote = 0;
            else if (c == '\\' && i + 1 < line.size())
                word += line[++i];
            else {
                if ((c == '$' || c == '`') && !split.shell_only) split.shell_only = c;
                word += c;
            }
            continue;
        }
        if (c == ' ' || c == '\t') {
            if (in_word) split.words.push_back(word);
            word.clear();
            in_word = false;
            continue;
        }
        if (c == '#' && !in_word) break;
        in_word = true;
        if (c == '\'' || c == '"')
            quote = c;
        else if (c == '\\' && i + 1 < line.size())
            word += line[++i];
        else {
            if (std::string_view(";|&<>$`()*?[").find(c) != std::string_view::npos &&
                !split.shell_only)
                split.shell_only = c;
            word += c;
        }
    }
    if (in_word) split.words.push_back(word);
    split.code = trim(line.substr(0, i));
    if (i < line.size()) split.comment = trim(line.substr(i + 1));
    return split;
}

/// The reason of a not-run marker in `comment`; nullopt without one. A comment that says
/// "not run" some other way, or gives no reason, is a problem, not a silent skip.
std::optional<std::string> not_run_reason(const std::string& comment, int line,
                                          std::vector<std::string>& problems) {
    const auto at = comment.find(kNotRunMarker);
    if (at == std::string::npos) {
        if (comment.find("not run") != std::string::npos)
            problems.push_back("line " + std::to_string(line) + ": write the marker as `# " +
                               kNotRunMarker + ": REASON`");
        return std::nullopt;
    }
    std::string rest = comment.substr(at + kNotRunMarker.size());
    if (rest.empty() || rest[0] != ':' || trim(rest.substr(1)).empty()) {
        problems.push_back("line " + std::to_string(line) + ": `# " + kNotRunMarker +
                           "` needs its reason after a colon");
        return std::string("(no reason given)");
    }
    return trim(rest.substr(1));
}

bool is_storyreel_line(const std::string& line) {
    const std::string code = trim(line);
    return code == "storyreel" || code.rfind("storyreel ", 0) == 0 ||
           code.rfind("$ storyreel ", 0) == 0;
}

/// Reads one ```sh block, lines [first, last) of the page (1-based numbers).
void read_sh_block(const std::vector<std::string>& lines, std::size_t first, std::size_t last,
                   DocPage& page) {
    std::string block_reason;
    for (std::size_t i = first; i < last; ++i) {
        const int number = static_cast<int>(i) + 1;
        std::string text = lines[i];
        while (!text.empty() && text.back() == '\\' && i + 1 < last)
            text = text.substr(0, text.size() - 1) + " " + trim(lines[++i]);
        const SplitLine split = split_sh(text);
        const auto reason = not_run_reason(split.comment, number, page.problems);
        if (split.words.empty()) {
            if (reason) block_reason = *reason;  // covers the rest of the block
            continue;
        }
        DocCommand command;
        command.line = number;
        command.text = split.code;
        command.words = split.words;
        command.not_run = reason ? *reason : block_reason;
        static const std::regex exits(R"((^|\W)exits (\d+)\b)");
        std::smatch match;
        if (std::regex_search(split.comment, match, exits))
            command.expected_exit = std::stoi(match[2]);
        if (command.not_run.empty() && split.shell_only)
            page.problems.push_back("line " + std::to_string(number) + ": `" + command.text +
                                    "` needs a shell (`" + *split.shell_only +
                                    "`): write one plain command per line, or mark it `# " +
                                    kNotRunMarker + ": REASON`");
        page.commands.push_back(std::move(command));
    }
}

}  // namespace

DocPage read_doc_commands(const std::string& markdown) {
    std::vector<std::string> lines;
    std::istringstream in(markdown);
    for (std::string line; std::getline(in, line);) lines.push_back(line);

    DocPage page;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string opening = trim(lines[i]);
        if (opening.rfind("```", 0) != 0) continue;
        const std::string info = trim(opening.substr(3));
        const std::string language = info.substr(0, info.find_first_of(" \t{"));
        std::size_t close = i + 1;
        while (close < lines.size() && trim(lines[close]).rfind("```", 0) != 0) ++close;
        const std::string where = "line " + std::to_string(i + 1) + ": ";
        if (language == "sh") {
            read_sh_block(lines, i + 1, close, page);
        } else if (language == "bash" || language == "shell" || language == "console" ||
                   language == "zsh") {
            page.problems.push_back(where + "fence shell commands as ```sh, not ```" + language);
        } else if (language != "text") {
            for (std::size_t j = i + 1; j < close; ++j)
                if (is_storyreel_line(lines[j]))
                    page.problems.push_back(
                        "line " + std::to_string(j + 1) + ": a storyreel command in a ```" +
                        language +
                        " block: fence it ```sh (run by the docs test) or ```text "
                        "(shown only)");
        }
        i = close;
    }
    return page;
}

bool is_storyreel_command(const DocCommand& command) {
    return !command.words.empty() && command.words[0] == "storyreel";
}

}  // namespace storyreel::testing
