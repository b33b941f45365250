#include "stages/line_grammar.h"

#include <sphinxbase/fsg_model.h>
#include <sphinxbase/glist.h>
#include <sphinxbase/logmath.h>

namespace storyreel {

fsg_model_s* build_line_grammar(const std::vector<GrammarLine>& lines,
                                const std::vector<std::string>& garbage,
                                const LineGrammarCosts& costs, logmath_s* logmath,
                                float language_weight) {
    // State k (0..N) is "before line k"; each line of n words adds n-1 states inside it.
    int states = static_cast<int>(lines.size()) + 1;
    for (const auto& line : lines)
        if (line.entries.size() > 1) states += static_cast<int>(line.entries.size()) - 1;
    fsg_model_t* fsg = fsg_model_init("lines", logmath, language_weight, states);
    fsg->start_state = 0;
    fsg->final_state = static_cast<int>(lines.size());
    const auto cost = [&](double probability) {
        return static_cast<int>(logmath_log(logmath, probability) * language_weight);
    };
    const int garbage_cost = cost(costs.garbage_phone), skip_cost = cost(costs.skip_line);
    std::vector<int> garbage_ids;
    for (const auto& word : garbage) garbage_ids.push_back(fsg_model_word_add(fsg, word.c_str()));
    int next_inner = static_cast<int>(lines.size()) + 1;
    for (std::size_t k = 0; k <= lines.size(); ++k) {
        const int before = static_cast<int>(k);
        for (int id : garbage_ids) fsg_model_trans_add(fsg, before, before, garbage_cost, id);
        fsg_model_add_silence(fsg, "<sil>", before, static_cast<float>(costs.silence));
        fsg_model_add_silence(fsg, "[NOISE]", before, static_cast<float>(costs.noise));
        if (k == lines.size()) break;
        fsg_model_null_trans_add(fsg, before, before + 1, skip_cost);
        const auto& words = lines[k].entries;
        int from = before;
        for (std::size_t w = 0; w < words.size(); ++w) {
            const int to = w + 1 == words.size() ? before + 1 : next_inner++;
            fsg_model_trans_add(fsg, from, to, 0, fsg_model_word_add(fsg, words[w].c_str()));
            if (to != before + 1 && lines[k].pause_after[w])
                fsg_model_add_silence(fsg, "<sil>", to, static_cast<float>(costs.silence));
            from = to;
        }
    }
    glist_free(fsg_model_null_trans_closure(fsg, nullptr));
    return fsg;
}

}  // namespace storyreel
