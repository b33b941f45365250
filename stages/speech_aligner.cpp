#include "stages/speech_aligner.h"

#include <pocketsphinx.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "pipeline/diagnostics.h"
#include "stages/line_grammar.h"
#include "stages/pronunciations.h"
#include "stages/speech_audio.h"
#include "stages/speech_onset.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

constexpr double kFrameSeconds = 0.01;  ///< PocketSphinx's default 100 frames per second
constexpr int kSamplesPerFrame = 160;
/// Confidence is a logistic of (aligned - phone loop) acoustic score per frame. Measured on
/// the accuracy set (bench/words_timing.sh) after the all-lines alignment: lines in their
/// place score -32 .. +8, lines squeezed into a few frames because their sound went to
/// garbage -92 and -113; 0.5 sits at -40.
constexpr double kScoreCentre = -40.0;
constexpr double kScoreSpread = 8.0;

constexpr const char* kPhoneNames[] = {"AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH",
                                       "EH", "ER", "EY", "F",  "G",  "HH", "IH", "IY", "JH", "K",
                                       "L",  "M",  "N",  "NG", "OW", "OY", "P",  "R",  "S",  "SH",
                                       "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH"};

BuildError model_error(const fs::path& where, const std::string& what) {
    return BuildError(Diagnostic{
        {},
        "speech model " + where.string(),
        what,
        "install Debian's pocketsphinx-en-us (apt-get install pocketsphinx-en-us), or set "
        "timing.model to a PocketSphinx model folder (acoustic model folder + .dict)"});
}

/// The acoustic model folder (it holds mdef) and the dictionary of a model folder.
std::pair<fs::path, fs::path> model_files(const fs::path& folder) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) throw model_error(folder, "the folder does not exist");
    fs::path acoustic, dictionary;
    if (fs::exists(folder / "mdef", error)) acoustic = folder;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        if (acoustic.empty() && entry.is_directory() && fs::exists(entry.path() / "mdef", error))
            acoustic = entry.path();
        if (entry.path().extension() == ".dict" && entry.path().filename() != "noisedict" &&
            (dictionary.empty() || entry.path() < dictionary))
            dictionary = entry.path();
    }
    if (acoustic.empty()) throw model_error(folder, "no acoustic model (a folder with mdef) in it");
    if (dictionary.empty()) throw model_error(folder, "no pronunciation dictionary (.dict) in it");
    return {acoustic, dictionary};
}

bool is_filler(const char* word) {
    return !word || word[0] == '<' || word[0] == '[' || word[0] == '+' || word[0] == '(';
}

/// "word(2)" (an alternative pronunciation) is "word".
std::string base_word(const char* word) {
    std::string text = word;
    if (auto paren = text.find('('); paren != std::string::npos && paren > 0) text.resize(paren);
    return text;
}

/// "l12w3" (word 3 of grammar line 12) as {12, 3}; {-1, -1} for any other word.
std::pair<int, int> line_word(const std::string& entry) {
    int line = -1, word = -1;
    char tail = 0;
    if (std::sscanf(entry.c_str(), "l%dw%d%c", &line, &word, &tail) != 2) return {-1, -1};
    return {line, word};
}

}  // namespace

void SpeechAligner::ConfigDeleter::operator()(cmd_ln_s* config) const { cmd_ln_free_r(config); }
void SpeechAligner::DecoderDeleter::operator()(ps_decoder_s* decoder) const { ps_free(decoder); }

/// One word (or filler, or garbage phone) of a decoded path.
struct SpeechAligner::Segment {
    std::string word;        ///< without its "(2)" alternate mark
    int start = 0, end = 0;  ///< frames, inclusive
    std::int32_t acoustic = 0;
};

SpeechAligner::SpeechAligner(const WordsTimingSettings& settings) : settings_(settings) {
    const fs::path folder = settings.model.empty() ? fs::path(kDebianSpeechModel) : settings.model;
    const auto [acoustic, dictionary] = model_files(folder);
    // Wide beams: a forced alignment has few paths, and narrow ones lose slow speakers.
    // Dither (seeded: the same track aligns the same way): the digital silence between
    // generated or edited lines otherwise skews the whole-track cepstral mean, and the
    // silence model then matches speech about as well as the words do.
    config_.reset(cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", acoustic.c_str(), "-dict",
                              dictionary.c_str(), "-logfn", "/dev/null", "-remove_silence", "no",
                              "-bestpath", "no", "-dither", "yes", "-seed", "1", "-beam", "1e-80",
                              "-wbeam", "1e-60", "-pbeam", "1e-80", nullptr));
    if (!config_) throw model_error(folder, "PocketSphinx refused its settings");
    decoder_.reset(ps_init(config_.get()));
    if (!decoder_) throw model_error(folder, "PocketSphinx could not load it");
    // A free phone loop: the reference a line's score is measured against.
    std::string loop = "#JSGF V1.0;\ngrammar loop;\npublic <loop> = ( ";
    const std::size_t count = std::size(kPhoneNames);
    for (std::size_t i = 0; i < count; ++i) {
        std::string word = "phone_";
        for (const char* c = kPhoneNames[i]; *c; ++c) word += static_cast<char>(std::tolower(*c));
        ps_add_word(decoder_.get(), word.c_str(), kPhoneNames[i], i + 1 == count);
        loop += (i ? " | " : "") + word;
        garbage_.push_back(word);
    }
    loop += " )+;\n";
    if (ps_set_jsgf_string(decoder_.get(), "loop", loop.c_str()) < 0)
        throw model_error(folder, "its phone set is not the CMU set the phone loop names");
}

SpeechAligner::~SpeechAligner() = default;

SpokenLine SpeechAligner::sayable_words(const std::string& line) {
    const SpokenLine written = spoken_line(line);
    SpokenLine sayable;
    for (std::size_t w = 0; w < written.words.size(); ++w) {
        const std::string& word = written.words[w];
        char* known = ps_lookup_word(decoder_.get(), word.c_str());
        const bool in_dictionary = known != nullptr;
        std::free(known);
        if (!in_dictionary) {
            auto spoken = spoken_pronunciation(word);
            if (!spoken || ps_add_word(decoder_.get(), word.c_str(), spoken->c_str(), FALSE) < 0) {
                unsayable_.push_back(word);
                if (!sayable.words.empty() && written.pause_after[w])
                    sayable.pause_after.back() = true;
                continue;
            }
            spelled_.push_back(word + " (" + *spoken + ")");
        }
        sayable.words.push_back(word);
        sayable.pause_after.push_back(written.pause_after[w]);
    }
    return sayable;
}

std::vector<std::string> SpeechAligner::line_entries(const std::vector<std::string>& words) {
    const int line = entries_++;
    std::vector<std::string> entries;
    for (std::size_t w = 0; w < words.size(); ++w) {
        const std::string entry = "l" + std::to_string(line) + "w" + std::to_string(w);
        for (int alternate = 1;; ++alternate) {
            const std::string suffix = alternate > 1 ? "(" + std::to_string(alternate) + ")" : "";
            char* phones = ps_lookup_word(decoder_.get(), (words[w] + suffix).c_str());
            if (!phones) break;
            ps_add_word(decoder_.get(), (entry + suffix).c_str(), phones, FALSE);
            std::free(phones);
        }
        entries.push_back(entry);
    }
    return entries;
}

std::vector<SpeechAligner::Segment> SpeechAligner::decode_segments(
    const char* search, const std::vector<std::int16_t>& samples) {
    std::vector<Segment> segments;
    ps_decoder_t* decoder = decoder_.get();
    if (ps_set_search(decoder, search) < 0 || ps_start_utt(decoder) < 0) return segments;
    ps_process_raw(decoder, samples.data(), samples.size(), FALSE, TRUE);
    // The best path at the last frame, read before the utterance ends: it need not have
    // reached the grammar's final state (after the utterance PocketSphinx gives nothing then).
    for (ps_seg_t* seg = ps_seg_iter(decoder); seg; seg = ps_seg_next(seg)) {
        Segment segment;
        ps_seg_frames(seg, &segment.start, &segment.end);
        std::int32_t language = 0, backoff = 0;
        ps_seg_prob(seg, &segment.acoustic, &language, &backoff);
        const char* word = ps_seg_word(seg);
        segment.word = is_filler(word) ? std::string() : base_word(word);
        segments.push_back(segment);
    }
    ps_end_utt(decoder);
    return segments;
}

namespace {

/// Each segment's acoustic score spread evenly over its frames, summed: cumulative[f] is the
/// score of frames [0, f).
template <typename Segments>
std::vector<double> cumulative_scores(const Segments& segments, int frames) {
    std::vector<double> per_frame(static_cast<std::size_t>(frames) + 1, 0.0);
    for (const auto& segment : segments) {
        const double share =
            static_cast<double>(segment.acoustic) / (segment.end - segment.start + 1);
        for (int f = std::max(0, segment.start); f <= segment.end && f < frames; ++f)
            per_frame[f + 1] = share;
    }
    for (int f = 0; f < frames; ++f) per_frame[f + 1] += per_frame[f];
    return per_frame;
}

}  // namespace

std::vector<LineAlignment> SpeechAligner::align(const std::vector<std::int16_t>& samples,
                                                const std::vector<std::string>& lines) {
    std::vector<LineAlignment> placed(lines.size());
    std::vector<GrammarLine> grammar_lines;
    std::vector<std::vector<std::string>> texts;
    std::vector<std::size_t> owners;  // the line each grammar line is
    for (std::size_t k = 0; k < lines.size(); ++k) {
        SpokenLine words = sayable_words(lines[k]);
        if (words.words.empty()) continue;
        grammar_lines.push_back({line_entries(words.words), words.pause_after});
        texts.push_back(std::move(words.words));
        owners.push_back(k);
    }
    if (grammar_lines.empty() || samples.size() < kSpeechSampleRate / 10) return placed;
    const int first_entry = entries_ - static_cast<int>(grammar_lines.size());
    fsg_model_t* grammar =
        build_line_grammar(grammar_lines, garbage_, LineGrammarCosts{},
                           ps_get_logmath(decoder_.get()), cmd_ln_float32_r(config_.get(), "-lw"));
    const int set = ps_set_fsg(decoder_.get(), "lines", grammar);
    fsg_model_free(grammar);
    if (set < 0) return placed;
    const auto found = decode_segments("lines", samples);
    for (const auto& segment : found) {
        const auto [grammar_line, word] = line_word(segment.word);
        const int g = grammar_line - first_entry;
        if (g < 0 || g >= static_cast<int>(owners.size())) continue;
        LineAlignment& line = placed[owners[g]];
        const double at = segment.start * kFrameSeconds, until = (segment.end + 1) * kFrameSeconds;
        if (line.words.empty()) line.start = at;
        line.end = until;
        line.words.push_back({texts[g][word], at, until});
    }
    judge(samples, found, placed);
    return placed;
}

void SpeechAligner::judge(const std::vector<std::int16_t>& samples,
                          const std::vector<Segment>& found, std::vector<LineAlignment>& placed) {
    const int frames = static_cast<int>(samples.size() / kSamplesPerFrame) + 1;
    const auto line_score = cumulative_scores(found, frames);
    const auto loop_score = cumulative_scores(decode_segments("loop", samples), frames);
    for (auto& line : placed) {
        if (line.words.empty()) continue;
        const int first = static_cast<int>(std::lround(line.start / kFrameSeconds));
        const int last = std::min(frames, static_cast<int>(std::lround(line.end / kFrameSeconds)));
        const double per_frame =
            ((line_score[last] - line_score[first]) - (loop_score[last] - loop_score[first])) /
            std::max(1, last - first);
        line.confidence = 1.0 / (1.0 + std::exp(-(per_frame - kScoreCentre) / kScoreSpread));
        const auto onset = sound_onset_near(samples, line.start, line.words.front().end);
        std::fprintf(stderr, "DBG %zu start %.3f end %.3f per_frame %.2f onset %.3f\n",
                     &line - placed.data(), line.start, line.end, per_frame, onset ? *onset : -1.0);
        if (line.confidence < settings_.min_confidence || !onset) {
            line = LineAlignment{};
            continue;
        }
        line.status = LineStatus::Aligned;
        line.start = line.words.front().start = *onset;
    }
}

}  // namespace storyreel
