#pragma once
// Pronunciations for words a speech dictionary does not know (names, made-up words): the
// phonemes espeak-ng's letter-to-sound rules give, mapped to the CMU phone set
// PocketSphinx's en-us model uses.

#include <optional>
#include <string>
#include <vector>

namespace storyreel {

/// The words of a dialogue line as a CMU dictionary spells them: lower case, letters,
/// digits and inner apostrophes; punctuation, quotes and dashes separate words.
std::vector<std::string> dictionary_words(const std::string& line);

/// A line's dictionary words, and after which of them its text marks a pause (a comma,
/// full stop, dash, "...", ...).
struct SpokenLine {
    std::vector<std::string> words;
    std::vector<bool> pause_after;
};
SpokenLine spoken_line(const std::string& line);

/// espeak-ng's ASCII phoneme mnemonics (`espeak-ng -x`, e.g. "z'o@blaks") as CMU phones
/// ("Z AO R B L AE K S"). Stress and length marks are dropped; nullopt when a phoneme has
/// no CMU counterpart.
std::optional<std::string> cmu_phones_from_espeak(const std::string& mnemonics);

/// The CMU phones of `word` by espeak-ng's en-us rules (libespeak-ng, one caller at a time
/// since the library keeps global state); nullopt when espeak-ng cannot say it.
std::optional<std::string> spoken_pronunciation(const std::string& word);

}  // namespace storyreel
