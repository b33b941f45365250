#include "report/pdf_syntax.h"

#include <charconv>

namespace storyreel::report::pdf {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool is_delimiter(char c) {
    switch (c) {
        case '(':
        case ')':
        case '<':
        case '>':
        case '[':
        case ']':
        case '{':
        case '}':
        case '/':
        case '%':
            return true;
        default:
            return false;
    }
}

bool is_number(std::string_view text) {
    if (text.empty()) return false;
    bool digit = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (!(c == '.' || ((c == '-' || c == '+') && i == 0)))
            return false;
    }
    return digit;
}

/// The end of the literal string opening at `at` (one past its closing parenthesis).
std::optional<std::size_t> literal_string_end(std::string_view text, std::size_t at) {
    int depth = 0;
    for (std::size_t i = at; i < text.size(); ++i) {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '(')
            ++depth;
        else if (text[i] == ')' && --depth == 0)
            return i + 1;
    }
    return std::nullopt;
}

std::optional<int> as_int(const Token& token) {
    if (token.kind != TokenKind::number) return std::nullopt;
    int value = 0;
    const auto [end, error] =
        std::from_chars(token.text.data(), token.text.data() + token.text.size(), value);
    if (error != std::errc() || end != token.text.data() + token.text.size()) return std::nullopt;
    return value;
}

/// Whether tokens[i..i+2] are a reference "N G R".
std::optional<Reference> reference_at(const std::vector<Token>& tokens, std::size_t i) {
    if (i + 2 >= tokens.size() || tokens[i + 2].kind != TokenKind::keyword ||
        tokens[i + 2].text != "R")
        return std::nullopt;
    const auto number = as_int(tokens[i]), generation = as_int(tokens[i + 1]);
    if (!number || !generation) return std::nullopt;
    return Reference{*number, *generation};
}

/// The index of the first token of `key`'s value in the outermost dictionary.
std::optional<std::size_t> value_index(const std::vector<Token>& tokens, std::string_view key) {
    int depth = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        switch (tokens[i].kind) {
            case TokenKind::dict_open:
            case TokenKind::array_open:
                ++depth;
                break;
            case TokenKind::dict_close:
            case TokenKind::array_close:
                if (--depth == 0) return std::nullopt;  // the first dictionary ended
                break;
            case TokenKind::name:
                if (depth == 1 && tokens[i].text == key && i + 1 < tokens.size()) return i + 1;
                break;
            default:
                break;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<Token>> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        const std::size_t start = i;
        if (is_space(c)) {
            ++i;
        } else if (c == '%') {
            while (i < text.size() && text[i] != '\n' && text[i] != '\r') ++i;
        } else if (c == '(') {
            const auto end = literal_string_end(text, i);
            if (!end) return std::nullopt;
            i = *end;
            tokens.push_back({TokenKind::string, text.substr(start, i - start), start});
        } else if (c == '<' || c == '>') {
            const bool doubled = i + 1 < text.size() && text[i + 1] == c;
            if (doubled) {
                i += 2;
                tokens.push_back({c == '<' ? TokenKind::dict_open : TokenKind::dict_close,
                                  text.substr(start, 2), start});
            } else if (c == '<') {
                i = text.find('>', i);
                if (i == std::string_view::npos) return std::nullopt;
                ++i;
                tokens.push_back({TokenKind::string, text.substr(start, i - start), start});
            } else {
                return std::nullopt;  // a lone '>'
            }
        } else if (c == '[' || c == ']') {
            ++i;
            tokens.push_back({c == '[' ? TokenKind::array_open : TokenKind::array_close,
                              text.substr(start, 1), start});
        } else if (c == '{' || c == '}') {
            ++i;
            tokens.push_back({TokenKind::keyword, text.substr(start, 1), start});
        } else {
            i += c == '/' ? 1 : 0;
            while (i < text.size() && !is_space(text[i]) && !is_delimiter(text[i])) ++i;
            if (i == start) return std::nullopt;  // a ')' outside a string
            const std::string_view word = text.substr(start, i - start);
            const TokenKind kind = c == '/'          ? TokenKind::name
                                   : is_number(word) ? TokenKind::number
                                                     : TokenKind::keyword;
            if (kind == TokenKind::keyword && (word == "stream" || word == "endobj")) break;
            tokens.push_back({kind, word, start});
        }
    }
    return tokens;
}

std::optional<long long> dictionary_integer(const std::vector<Token>& tokens,
                                            std::string_view key) {
    const auto at = value_index(tokens, key);
    if (!at || reference_at(tokens, *at)) return std::nullopt;
    const auto value = as_int(tokens[*at]);
    if (!value) return std::nullopt;
    return *value;
}

std::optional<Reference> dictionary_reference(const std::vector<Token>& tokens,
                                              std::string_view key) {
    const auto at = value_index(tokens, key);
    if (!at) return std::nullopt;
    return reference_at(tokens, *at);
}

std::optional<std::vector<Reference>> dictionary_reference_array(const std::vector<Token>& tokens,
                                                                 std::string_view key) {
    auto at = value_index(tokens, key);
    if (!at || tokens[*at].kind != TokenKind::array_open) return std::nullopt;
    std::vector<Reference> references;
    for (std::size_t i = *at + 1; i < tokens.size(); i += 3) {
        if (tokens[i].kind == TokenKind::array_close) return references;
        const auto reference = reference_at(tokens, i);
        if (!reference) return std::nullopt;
        references.push_back(*reference);
    }
    return std::nullopt;
}

std::optional<std::string_view> dictionary_name(const std::vector<Token>& tokens,
                                                std::string_view key) {
    const auto at = value_index(tokens, key);
    if (!at || tokens[*at].kind != TokenKind::name) return std::nullopt;
    return tokens[*at].text;
}

std::optional<std::string> renumber_references(
    std::string_view text, const std::function<std::optional<int>(int)>& renumber) {
    const auto tokens = tokenize(text);
    if (!tokens) return std::nullopt;
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t copied = 0;
    for (std::size_t i = 0; i < tokens->size(); ++i) {
        const auto reference = reference_at(*tokens, i);
        if (!reference) continue;
        const auto number = renumber(reference->number);
        if (!number) return std::nullopt;
        const Token& last = (*tokens)[i + 2];
        out.append(text.substr(copied, (*tokens)[i].offset - copied));
        out += std::to_string(*number) + " 0 R";
        copied = last.offset + last.text.size();
        i += 2;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace storyreel::report::pdf
