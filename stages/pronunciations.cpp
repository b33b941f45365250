#include "stages/pronunciations.h"

#include <espeak-ng/speak_lib.h>

#include <array>
#include <cctype>
#include <mutex>
#include <string_view>
#include <utility>

namespace storyreel {

namespace {

/// espeak-ng en phoneme mnemonics and their CMU phones, longest mnemonics first so the
/// parse is greedy ("aI@" before "aI" before "a").
constexpr std::array<std::pair<std::string_view, std::string_view>, 58> kPhones = {{
    {"aI@", "AY ER"}, {"aU@", "AW ER"}, {"i@3", "IH R"}, {"@-", "AH"},   {"@L", "AH L"},
    {"@2", "AH"},     {"@5", "AH"},     {"3:", "ER"},    {"A:", "AA"},   {"A@", "AA R"},
    {"a#", "AH"},     {"aa", "AE"},     {"aI", "AY"},    {"aU", "AW"},   {"e@", "EH R"},
    {"eI", "EY"},     {"i:", "IY"},     {"i@", "IH R"},  {"I2", "IH"},   {"I#", "IH"},
    {"0#", "AA"},     {"O:", "AO"},     {"O@", "AO R"},  {"o@", "AO R"}, {"oU", "OW"},
    {"OI", "OY"},     {"u:", "UW"},     {"U@", "UH R"},  {"tS", "CH"},   {"dZ", "JH"},
    {"n-", "N"},      {"l-", "L"},      {"r-", "R"},     {"t#", "T"},    {"a", "AE"},
    {"e", "EH"},      {"E", "EH"},      {"@", "AH"},     {"3", "ER"},    {"i", "IY"},
    {"I", "IH"},      {"0", "AA"},      {"O", "AO"},     {"u", "UW"},    {"U", "UH"},
    {"V", "AH"},      {"T", "TH"},      {"D", "DH"},     {"S", "SH"},    {"Z", "ZH"},
    {"h", "HH"},      {"N", "NG"},      {"j", "Y"},      {"x", "K"},     {"r", "R"},
    {"w", "W"},       {"l", "L"},       {"m", "M"},
}};

/// Consonants whose mnemonic is their CMU phone in upper case.
constexpr std::string_view kPlainConsonants = "pbtdkgfvszn";

/// Marks that carry no phone: stress, syllable and length marks, word and pause marks.
bool is_mark(char c) { return std::string_view("',%=_:!|;-#").find(c) != std::string_view::npos; }

}  // namespace

SpokenLine spoken_line(const std::string& line) {
    SpokenLine spoken;
    std::string word;
    auto close = [&] {
        while (!word.empty() && word.back() == '\'') word.pop_back();
        std::size_t lead = 0;
        while (lead < word.size() && word[lead] == '\'') ++lead;
        if (lead < word.size()) {
            spoken.words.push_back(word.substr(lead));
            spoken.pause_after.push_back(false);
        }
        word.clear();
    };
    for (unsigned char c : line) {
        if (std::isalnum(c) || c == '\'' || c >= 0x80) {
            word += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
            continue;
        }
        close();
        if (!spoken.words.empty() &&
            std::string_view(",.;:!?-").find(static_cast<char>(c)) != std::string_view::npos)
            spoken.pause_after.back() = true;
    }
    close();
    return spoken;
}

std::vector<std::string> dictionary_words(const std::string& line) {
    return spoken_line(line).words;
}

std::optional<std::string> cmu_phones_from_espeak(const std::string& mnemonics) {
    std::string phones;
    std::size_t at = 0;
    auto add = [&](std::string_view phone) {
        if (!phones.empty()) phones += ' ';
        phones += phone;
    };
    while (at < mnemonics.size()) {
        bool matched = false;
        for (const auto& [mnemonic, cmu] : kPhones) {
            if (mnemonics.compare(at, mnemonic.size(), mnemonic) == 0) {
                add(cmu);
                at += mnemonic.size();
                matched = true;
                break;
            }
        }
        if (matched) continue;
        const char c = mnemonics[at++];
        if (kPlainConsonants.find(c) != std::string_view::npos)
            add(std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(c)))));
        else if (is_mark(c) || std::isspace(static_cast<unsigned char>(c)))
            continue;
        else
            return std::nullopt;
    }
    if (phones.empty()) return std::nullopt;
    return phones;
}

std::optional<std::string> spoken_pronunciation(const std::string& word) {
    static std::mutex library;  // libespeak-ng is one global synthesiser
    const std::lock_guard<std::mutex> lock(library);
    static const bool ready = [] {
        if (espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT) < 0)
            return false;
        return espeak_SetVoiceByName("en-us") == EE_OK;
    }();
    if (!ready) return std::nullopt;
    std::string mnemonics;
    const void* text = word.c_str();
    while (text) {
        const char* phonemes = espeak_TextToPhonemes(&text, espeakCHARS_UTF8, 0);
        if (phonemes) mnemonics += phonemes;
    }
    return cmu_phones_from_espeak(mnemonics);
}

}  // namespace storyreel
