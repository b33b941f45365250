#include "farm/script_quoting.h"

#include <cstdio>

namespace storyreel::farm {

namespace {

constexpr std::size_t kMaxJobNameCharacters = 128;  // OpenJD's <JobName>; others allow more

std::string quote_literal(const std::string& text, QuoteStyle style) {
    std::string quoted = shell_quote(text);
    if (style != QuoteStyle::opencue) return quoted;
    // '#' only occurs inside single quotes (it is not a plain character); '' after it ends
    // and restarts the quoting, so the shell reads the same text and cuebot, which replaces
    // #IFRAME#, #JOB#, #FRAME# ... anywhere in the command, never finds a token.
    std::string broken;
    for (char c : quoted) {
        broken += c;
        if (c == '#') broken += "''";
    }
    return broken;
}

/// Length of the UTF-8 sequence starting with `lead`, 0 when `lead` cannot start one.
std::size_t utf8_length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return 2;
    if (lead >= 0xE0 && lead <= 0xEF) return 3;
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    return 0;
}

std::string describe_control(unsigned code) {
    if (code == '\n') return "a newline";
    if (code == '\r') return "a carriage return";
    if (code == '\t') return "a tab";
    char text[32];
    std::snprintf(text, sizeof text, "control character U+%04X", code);
    return text;
}

std::size_t utf8_characters(const std::string& text) {
    std::size_t count = 0;
    for (unsigned char c : text) count += (c & 0xC0) != 0x80;
    return count;
}

}  // namespace

std::string with_shard_index(std::string arg, const std::string& index_text) {
    for (auto at = arg.find(kShardIndexToken); at != std::string::npos;
         at = arg.find(kShardIndexToken, at + index_text.size()))
        arg.replace(at, kShardIndexToken.size(), index_text);
    return arg;
}

std::string shell_quote(const std::string& word) {
    const bool plain =
        !word.empty() &&
        word.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:,+@%") ==
            std::string::npos;
    if (plain) return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string shell_word(const std::string& arg, const std::string& index_expansion,
                       QuoteStyle style) {
    const std::string token(kShardIndexToken);
    if (index_expansion.empty() || arg.find(token) == std::string::npos)
        return quote_literal(arg, style);
    std::string word;
    std::size_t begin = 0;
    for (std::size_t at = arg.find(token); at != std::string::npos; at = arg.find(token, begin)) {
        if (at > begin) word += quote_literal(arg.substr(begin, at - begin), style);
        word += index_expansion;
        begin = at + token.size();
    }
    if (begin < arg.size()) word += quote_literal(arg.substr(begin), style);
    return word;
}

std::string shell_command(const std::vector<std::string>& args, const std::string& index_expansion,
                          QuoteStyle style) {
    std::string line;
    for (const auto& arg : args) {
        if (!line.empty()) line += ' ';
        line += shell_word(arg, index_expansion, style);
    }
    return line;
}

std::optional<std::string> control_character_in(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x20 || byte == 0x7F) return describe_control(byte);
        // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
        if (byte == 0xC2 && i + 1 < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + 1]);
            if (next >= 0x80 && next <= 0x9F) return describe_control(next);
        }
    }
    return std::nullopt;
}

bool is_valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = utf8_length(lead);
        if (length == 0 || i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        if (length > 1) {
            const auto second = static_cast<unsigned char>(text[i + 1]);
            if ((lead == 0xE0 && second < 0xA0) ||
                (lead == 0xED && second > 0x9F) ||  // overlong, surrogates
                (lead == 0xF0 && second < 0x90) ||
                (lead == 0xF4 && second > 0x8F))  // overlong, > U+10FFFF
                return false;
        }
        i += length;
    }
    return true;
}

void check_scheduler_value(const std::string& option, const std::string& value) {
    if (!is_valid_utf8(value))
        throw FarmInputError(option + " '" + value + "' is not valid UTF-8; give it in UTF-8");
    if (const auto control = control_character_in(value))
        throw FarmInputError(
            option + " holds " + *control +
            ", which no job file can carry (it would end the line and start another "
            "command); give the value without it");
}

void check_job_name(const std::string& name) {
    check_scheduler_value("--name (the job name)", name);
    if (name.empty())
        throw FarmInputError("--name: the job name is empty; give a name or leave --name out");
    if (utf8_characters(name) > kMaxJobNameCharacters)
        throw FarmInputError(
            "--name: the job name has " + std::to_string(utf8_characters(name)) +
            " characters; schedulers take at most 128 (Open Job Description's limit): "
            "give a shorter name");
    if (name.find('/') != std::string::npos || name == "." || name == "..")
        throw FarmInputError(
            "--name '" + name +
            "': a job name names its spool folder, so it cannot be '.', '..' or hold '/'; "
            "give a name without them");
}

std::string option_of_argument(const std::vector<std::string>& args, std::size_t i) {
    if (i == 0) return "the storyreel executable (--executable)";
    if (i < args.size() && args[i - 1].rfind("--", 0) == 0) return args[i - 1];
    return "argument " + std::to_string(i);
}

}  // namespace storyreel::farm
