#pragma once
// Just enough PDF syntax (ISO 32000-1, §7.2-7.5) to update a file this program wrote with
// Cairo: tokens of an object's dictionary part, the integers, references and reference
// arrays in it, and references renumbered. Not a general PDF reader: streams are never
// looked into, and the caller treats anything it does not find as "write the file whole".

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::report::pdf {

enum class TokenKind {
    number,       ///< 12, -3, 4.5
    name,         ///< /Kids (text holds the name with its slash)
    keyword,      ///< R, obj, endobj, stream, true, null, ...
    string,       ///< (literal) or <hex>, kept whole
    dict_open,    ///< <<
    dict_close,   ///< >>
    array_open,   ///< [
    array_close,  ///< ]
};

struct Token {
    TokenKind kind;
    std::string_view text;
    std::size_t offset = 0;  ///< of its first character in the scanned text
};

/// The tokens of `text` up to (not including) the keyword `stream` or `endobj` or the end,
/// comments left out. Nothing when a string or hex string is left open.
std::optional<std::vector<Token>> tokenize(std::string_view text);

/// An indirect reference "N G R".
struct Reference {
    int number = 0, generation = 0;
};

/// The value of `key` ("/Root") at the outermost level of the first dictionary in `tokens`.
std::optional<long long> dictionary_integer(const std::vector<Token>& tokens, std::string_view key);
std::optional<Reference> dictionary_reference(const std::vector<Token>& tokens,
                                              std::string_view key);
/// An array of references only ("/Kids [ 3 0 R 7 0 R ]").
std::optional<std::vector<Reference>> dictionary_reference_array(const std::vector<Token>& tokens,
                                                                 std::string_view key);
/// The name value of `key` ("/Type" -> "/Pages").
std::optional<std::string_view> dictionary_name(const std::vector<Token>& tokens,
                                                std::string_view key);

/// `text` (an object's dictionary part) with every reference "N G R" rewritten as
/// "M 0 R", M = renumber(N); renumber returns nothing for a reference it does not allow,
/// and then so does this.
std::optional<std::string> renumber_references(
    std::string_view text, const std::function<std::optional<int>(int)>& renumber);

}  // namespace storyreel::report::pdf
