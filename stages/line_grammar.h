#pragma once
// The grammar words timing searches the whole dialogue track with: every expected line, in
// cut order, each optional, with a garbage loop (any phones, at a cost per phone) before,
// between and after them. One Viterbi pass over it places all lines at once, so their order
// is enforced globally: a line cannot be matched inside a later one's speech without the
// lines in between being skipped, and each skip has a price.

#include <string>
#include <vector>

struct fsg_model_s;
struct logmath_s;

namespace storyreel {

/// Costs of the grammar, as probabilities (PocketSphinx scales them by its language weight).
/// Measured on the accuracy set (bench/words_timing.sh), lines within 2 frames clean / over
/// a music bed: a garbage phone at 1e-2 32 / 2 of 34 (over music the path falls into the
/// garbage loop after line 2 and stays there), 1e-3 and 1e-4 30 / 8, 1e-5 30 / 29.
struct LineGrammarCosts {
    double garbage_phone = 1e-5;  ///< each phone of speech no line explains
    double skip_line = 1e-6;      ///< leaving an expected line out of the track
    double silence = 0.005;       ///< a pause (PocketSphinx's default -silprob)
    double noise = 1e-8;          ///< a noise between lines (its default -fillprob)
};

/// One expected line: its words' dictionary entries in order (each entry unique to its line,
/// so the search's segments say which line they belong to), and after which of them the
/// text marks a pause (punctuation). Silence is allowed only there and between lines: a
/// line cannot stretch over other speech by "pausing" where its text does not.
struct GrammarLine {
    std::vector<std::string> entries;
    std::vector<bool> pause_after;
};

/// Builds the FSG of `lines`; `garbage` are the words of the phone loop. The caller owns the
/// result (fsg_model_free).
fsg_model_s* build_line_grammar(const std::vector<GrammarLine>& lines,
                                const std::vector<std::string>& garbage,
                                const LineGrammarCosts& costs, logmath_s* logmath,
                                float language_weight);

}  // namespace storyreel
