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
/// Measured on the accuracy set (bench/words_timing.sh, clean): a garbage phone at 1e-2
/// places 30 of 33 recorded lines within 2 frames, at 1e-4 and 1e-7 28.
struct LineGrammarCosts {
    double garbage_phone = 1e-2;  ///< each phone of speech no line explains
    double skip_line = 1e-6;      ///< leaving an expected line out of the track
};

/// Builds the FSG: `lines` hold, per line, the dictionary entries of its words in order (each
/// entry unique to its line, so the search's segments say which line they belong to);
/// `garbage` the words of the phone loop. The caller owns the result (fsg_model_free).
fsg_model_s* build_line_grammar(const std::vector<std::vector<std::string>>& lines,
                                const std::vector<std::string>& garbage,
                                const LineGrammarCosts& costs, logmath_s* logmath,
                                float language_weight);

}  // namespace storyreel
