#include "checks/script_text.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace storyreel::checks {

std::vector<char32_t> code_points(std::string_view text) {
    std::vector<char32_t> points;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        int length = byte < 0x80           ? 1
                     : (byte >> 5) == 0x6  ? 2
                     : (byte >> 4) == 0xE  ? 3
                     : (byte >> 3) == 0x1E ? 4
                                           : 0;
        if (length == 0 || i + length > text.size()) {
            points.push_back(byte);
            ++i;
            continue;
        }
        char32_t point = length == 1 ? byte : byte & (0x3F >> (length - 1));
        bool valid = true;
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            valid = valid && (next & 0xC0) == 0x80;
            point = (point << 6) | (next & 0x3F);
        }
        if (!valid) {
            points.push_back(byte);
            ++i;
            continue;
        }
        points.push_back(point);
        i += length;
    }
    return points;
}

namespace {

bool is_cjk(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||  // Han
           (c >= 0x3040 && c <= 0x30FF) ||                                  // Hiragana, Katakana
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF);
}

bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

/// Letters of any alphabet: ASCII letters, and every code point from Latin-1 letters up
/// that is not punctuation, a space or a symbol block we know of.
bool is_letter(char32_t c) {
    if (c < 0x80) return std::isalpha(static_cast<int>(c)) != 0;
    if (c == 0xA0 || (c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
        (c >= 0xFF00 && c <= 0xFF0F) || c == 0xD7 || c == 0xF7 || (c >= 0xA1 && c <= 0xBF))
        return false;
    return !is_cjk(c);
}

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

/// Words one token of letters/digits/apostrophes/inner punctuation says.
int token_words(const std::u32string& token) {
    bool has_letter = false;
    int digits_in_group = 0, number_words = 0, groups = 0;
    for (char32_t c : token) {
        if (is_letter(c)) has_letter = true;
        if (is_digit(c)) {
            ++digits_in_group;
        } else if (digits_in_group) {
            number_words += (digits_in_group + 1) / 2;
            digits_in_group = 0;
            ++groups;
        }
    }
    if (digits_in_group) {
        number_words += (digits_in_group + 1) / 2;
        ++groups;
    }
    if (has_letter) return 1;  // "3rd", "R2D2": one word
    if (groups == 0) return 0;
    // "3.5": three point five; "10,000": ten thousand (groups counted as digits).
    const bool decimal = token.find(U'.') != std::u32string::npos && groups == 2;
    if (token.find(U',') != std::u32string::npos && !decimal) {
        int all_digits = 0;
        for (char32_t c : token) all_digits += is_digit(c);
        return (all_digits + 1) / 2;
    }
    return number_words + (decimal ? 1 : 0);
}

}  // namespace

int spoken_word_count(std::string_view text) {
    const std::vector<char32_t> points = code_points(text);
    int words = 0, cjk_run = 0, depth = 0;
    std::u32string token;
    auto end_token = [&] {
        if (!token.empty()) words += token_words(token);
        token.clear();
    };
    auto end_cjk = [&] {
        words += (cjk_run * 2 + 2) / 3;
        cjk_run = 0;
    };
    for (std::size_t i = 0; i < points.size(); ++i) {
        const char32_t c = points[i];
        if (c == '(' || c == '[') {
            end_token();
            end_cjk();
            ++depth;
            continue;
        }
        if ((c == ')' || c == ']') && depth > 0) {
            --depth;
            continue;
        }
        if (depth > 0) continue;
        if (is_cjk(c)) {
            end_token();
            ++cjk_run;
            continue;
        }
        if (cjk_run) end_cjk();
        const bool inner = (is_apostrophe(c) || c == '.' || c == ',') && !token.empty() &&
                           i + 1 < points.size() &&
                           (is_letter(points[i + 1]) || is_digit(points[i + 1]));
        if (is_letter(c) || is_digit(c) || inner) {
            // "a.m." or "3.5" keep their points; a sentence's full stop ends the token.
            token.push_back(c);
            continue;
        }
        end_token();  // spaces, punctuation, hyphens and dashes separate words
    }
    end_token();
    end_cjk();
    return words;
}

std::size_t subtitle_length(std::string_view text) {
    std::size_t count = 0;
    for (char32_t c : code_points(text))
        if (c != '\n' && c != '\r') ++count;
    return count;
}

namespace {

std::string trim(std::string_view text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

std::string upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool starts_with_word(const std::string& text, const std::string& word) {
    if (!text.starts_with(word)) return false;
    return text.size() == word.size() || text[word.size()] == '.' || text[word.size()] == ' ';
}

}  // namespace

Slugline parse_slugline(std::string_view heading) {
    std::string text = trim(heading);
    if (auto hash = text.find(" #"); hash != std::string::npos && text.back() == '#')
        text = trim(text.substr(0, hash));
    if (text.starts_with(".") && !text.starts_with("..")) text = trim(text.substr(1));
    Slugline slug;
    const std::string caps = upper(text);
    static const std::pair<const char*, const char*> prefixes[] = {
        {"INT./EXT", "INT/EXT"}, {"INT/EXT", "INT/EXT"}, {"EXT./INT", "INT/EXT"},
        {"EXT/INT", "INT/EXT"},  {"I/E", "INT/EXT"},     {"INT", "INT"},
        {"EXT", "EXT"},          {"EST", "EST"}};
    std::string rest = text;
    for (const auto& [prefix, name] : prefixes)
        if (starts_with_word(caps, prefix)) {
            slug.int_ext = name;
            rest = text.substr(std::string(prefix).size());
            while (!rest.empty() && (rest.front() == '.' || rest.front() == ' '))
                rest.erase(rest.begin());
            break;
        }
    static const std::set<std::string> times = {
        "DAY",       "NIGHT",      "DAWN",   "DUSK",       "MORNING", "AFTERNOON",
        "EVENING",   "SUNRISE",    "SUNSET", "CONTINUOUS", "LATER",   "MOMENTS LATER",
        "SAME TIME", "MAGIC HOUR", "NOON",   "MIDNIGHT"};
    std::string location = trim(rest);
    for (const char* separator : {" - ", " -- ", " – ", " — "}) {
        const auto at = location.rfind(separator);
        if (at == std::string::npos) continue;
        const std::string last = upper(trim(location.substr(at + std::string(separator).size())));
        if (times.count(last)) {
            slug.time_of_day = last;
            location = trim(location.substr(0, at));
        }
        break;
    }
    if (slug.time_of_day.empty() && times.count(upper(location)) && !slug.int_ext.empty()) {
        slug.time_of_day = upper(location);
        location.clear();
    }
    slug.location = location;
    return slug;
}

int wrapped_lines(std::string_view text, int width) {
    int lines = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view paragraph = text.substr(start, end - start);
        int used = 0, count = 1;
        std::size_t at = 0;
        while (at < paragraph.size()) {
            while (at < paragraph.size() && paragraph[at] == ' ') ++at;
            std::size_t word_end = paragraph.find(' ', at);
            if (word_end == std::string_view::npos) word_end = paragraph.size();
            const int length =
                static_cast<int>(code_points(paragraph.substr(at, word_end - at)).size());
            if (length == 0) break;
            if (used > 0 && used + 1 + length > width) {
                ++count;
                used = 0;
            }
            used += (used > 0 ? 1 : 0) + length;
            while (used > width) {  // a word longer than the line
                ++count;
                used -= width;
            }
            at = word_end;
        }
        lines += count;
        if (end == text.size()) break;
        start = end + 1;
    }
    return std::max(1, lines);
}

int scene_lines(const ScriptScene& scene, const PageLayout& layout) {
    int lines = 0;
    for (std::size_t i = 0; i < scene.elements.size(); ++i) {
        const ScriptElement& element = scene.elements[i];
        const bool block_ends = i + 1 == scene.elements.size() ||
                                (scene.elements[i + 1].type != ScriptElementType::Dialogue &&
                                 scene.elements[i + 1].type != ScriptElementType::Parenthetical);
        switch (element.type) {
            case ScriptElementType::Heading:
                lines += 3;  // blank line before, the heading, blank line after
                break;
            case ScriptElementType::Character:
                lines += 1;
                break;
            case ScriptElementType::Parenthetical:
                lines +=
                    wrapped_lines(element.text, layout.parenthetical_width) + (block_ends ? 1 : 0);
                break;
            case ScriptElementType::Dialogue:
                lines += wrapped_lines(element.text, layout.dialogue_width) + (block_ends ? 1 : 0);
                break;
            case ScriptElementType::Transition:
                lines += 2;
                break;
            case ScriptElementType::Action:
            case ScriptElementType::Other:
                lines += wrapped_lines(element.text, layout.action_width) + 1;
                break;
        }
    }
    return lines;
}

int scene_eighths(const ScriptScene& scene, const PageLayout& layout) {
    const int lines = scene_lines(scene, layout);
    const int eighths = (lines * 8 + layout.lines_per_page - 1) / layout.lines_per_page;
    return std::max(1, eighths);
}

std::string eighths_text(int eighths) {
    const int pages = eighths / 8, rest = eighths % 8;
    if (rest == 0) return std::to_string(pages);
    const std::string fraction = std::to_string(rest) + "/8";
    return pages ? std::to_string(pages) + " " + fraction : fraction;
}

std::string character_name(std::string_view cue) {
    std::string name = trim(cue);
    if (name.starts_with("@")) name.erase(name.begin());
    if (auto paren = name.find('('); paren != std::string::npos) name = name.substr(0, paren);
    while (!name.empty() && (name.back() == '^' || name.back() == ' ')) name.pop_back();
    return trim(name);
}

std::vector<std::string> capitalised_names(std::string_view text) {
    static const std::set<std::string> terms = {
        "INT",   "EXT",        "EST",    "CUT",   "TO",       "FADE",  "IN",    "OUT",   "V.O",
        "O.S",   "O.C",        "CONT'D", "POV",   "CU",       "ECU",   "MCU",   "WS",    "MS",
        "OTS",   "INSERT",     "BACK",   "SMASH", "DISSOLVE", "MATCH", "THE",   "END",   "A",
        "I",     "OK",         "TV",     "SFX",   "VFX",      "FX",    "BG",    "FG",    "OS",
        "VO",    "CONTINUOUS", "LATER",  "DAY",   "NIGHT",    "TITLE", "SUPER", "ANGLE", "ON",
        "CLOSE", "UP",         "WIDE",   "SHOT",  "PAN",      "ZOOM",  "TRACK", "DOLLY", "CRANE",
        "AND",   "OF",         "AT"};
    std::vector<std::string> names;
    std::string current;
    auto flush = [&] {
        if (!current.empty() && std::find(names.begin(), names.end(), current) == names.end())
            names.push_back(current);
        current.clear();
    };
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && !std::isalpha(static_cast<unsigned char>(text[at]))) {
            if (text[at] != ' ') flush();  // punctuation ends a multi-word name
            ++at;
        }
        std::size_t end = at;
        while (end < text.size() &&
               (std::isalpha(static_cast<unsigned char>(text[end])) || text[end] == '\''))
            ++end;
        const std::string word(text.substr(at, end - at));
        at = end;
        const bool caps = word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char c) {
                              return !std::islower(static_cast<unsigned char>(c));
                          });
        if (caps && !terms.count(word))
            current += (current.empty() ? "" : " ") + word;
        else
            flush();
    }
    flush();
    return names;
}

}  // namespace storyreel::checks
