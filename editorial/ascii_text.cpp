#include "editorial/ascii_text.h"

#include <cstdint>

namespace storyreel {

namespace {

/// U+00C0..U+017F (Latin-1 letters and Latin Extended-A) without their accents.
constexpr const char* kLatinLetters[] = {
    "A", "A", "A",  "A",  "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",   // U+00C0
    "D", "N", "O",  "O",  "O", "O", "O",  "x", "O", "U", "U", "U", "U", "Y", "TH", "ss",  // U+00D0
    "a", "a", "a",  "a",  "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",   // U+00E0
    "d", "n", "o",  "o",  "o", "o", "o",  "/", "o", "u", "u", "u", "u", "y", "th", "y",   // U+00F0
    "A", "a", "A",  "a",  "A", "a", "C",  "c", "C", "c", "C", "c", "C", "c", "D",  "d",   // U+0100
    "D", "d", "E",  "e",  "E", "e", "E",  "e", "E", "e", "E", "e", "G", "g", "G",  "g",   // U+0110
    "G", "g", "G",  "g",  "H", "h", "H",  "h", "I", "i", "I", "i", "I", "i", "I",  "i",   // U+0120
    "I", "i", "IJ", "ij", "J", "j", "K",  "k", "k", "L", "l", "L", "l", "L", "l",  "L",   // U+0130
    "l", "L", "l",  "N",  "n", "N", "n",  "N", "n", "n", "N", "n", "O", "o", "O",  "o",   // U+0140
    "O", "o", "OE", "oe", "R", "r", "R",  "r", "R", "r", "S", "s", "S", "s", "S",  "s",   // U+0150
    "S", "s", "T",  "t",  "T", "t", "T",  "t", "U", "u", "U", "u", "U", "u", "U",  "u",   // U+0160
    "U", "u", "U",  "u",  "W", "w", "Y",  "y", "Y", "Z", "z", "Z", "z", "Z", "z",  "s",   // U+0170
};

/// Punctuation outside Latin-1 that has a plain ASCII form.
const char* ascii_punctuation(std::uint32_t code) {
    switch (code) {
        case 0x00A0:
            return " ";
        case 0x00AB:
        case 0x00BB:
        case 0x201C:
        case 0x201D:
        case 0x201E:
            return "\"";
        case 0x2018:
        case 0x2019:
        case 0x201A:
        case 0x00B4:
            return "'";
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2212:
            return "-";
        case 0x2026:
            return "...";
        case 0x00B7:
        case 0x2022:
            return "*";
        default:
            return nullptr;
    }
}

/// Decodes the code point at `text[at]`, advancing `at`; nullopt-like 0xFFFFFFFF when malformed.
std::uint32_t next_code_point(std::string_view text, std::size_t& at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    int length = lead < 0x80           ? 1
                 : (lead >> 5) == 0x6  ? 2
                 : (lead >> 4) == 0xE  ? 3
                 : (lead >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || at + length > text.size()) {
        ++at;
        return 0xFFFFFFFF;
    }
    std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
    for (int i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) {
            ++at;
            return 0xFFFFFFFF;
        }
        code = (code << 6) | (byte(at + i) & 0x3F);
    }
    at += length;
    return code;
}

}  // namespace

std::string to_7bit_ascii(std::string_view utf8) {
    std::string ascii;
    for (std::size_t at = 0; at < utf8.size();) {
        const std::uint32_t code = next_code_point(utf8, at);
        if (code >= 0x20 && code < 0x7F)
            ascii += static_cast<char>(code);
        else if (code < 0x20 || code == 0x7F)
            ascii += ' ';
        else if (code >= 0xC0 && code <= 0x17F)
            ascii += kLatinLetters[code - 0xC0];
        else if (const char* plain = ascii_punctuation(code))
            ascii += plain;
        else
            ascii += '_';
    }
    return ascii;
}

}  // namespace storyreel
