#include "stages/speech_aligner.h"

#include <pocketsphinx.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "pipeline/diagnostics.h"
#include "stages/pronunciations.h"
#include "stages/speech_audio.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

constexpr double kFrameSeconds = 0.01;  ///< PocketSphinx's default 100 frames per second
constexpr int kSamplesPerFrame = 160;
/// Where a window opens before an energy onset, and how many onsets a line tries.
constexpr double kLeadSeconds = 0.3;
constexpr int kCandidateWindows = 4;
/// How far after its window's onset a line may start.
constexpr double kLateStartSeconds = 0.5;
/// A window is the line's length at a slow pace (and at least kShortestWindow), plus room.
constexpr double kSlowPhoneSeconds = 0.2;
constexpr double kShortestWindow = 3.0;
constexpr double kWindowRoom = 1.5;
/// Confidence is a logistic of (aligned - phone loop) acoustic score per frame. Measured on
/// the accuracy set (bench/words_timing.sh): lines in their place score -9 .. +18,
/// misplaced ones -7 .. -20; 0.5 sits at -5.
constexpr double kScoreCentre = -5.0;
constexpr double kScoreSpread = 1.5;

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
    return !word || word[0] == '<' || word[0] == '[' || word[0] == '+';
}

/// "word(2)" (an alternative pronunciation) is "word".
std::string base_word(const char* word) {
    std::string text = word;
    if (auto paren = text.find('('); paren != std::string::npos && paren > 0) text.resize(paren);
    return text;
}

/// Decodes samples [from, to) with the named search; the caller reads the segments.
bool decode(ps_decoder_t* decoder, const char* search, const std::vector<std::int16_t>& samples,
            std::size_t from, std::size_t to) {
    if (ps_set_search(decoder, search) < 0 || ps_start_utt(decoder) < 0) return false;
    ps_process_raw(decoder, samples.data() + from, to - from, FALSE, TRUE);
    ps_end_utt(decoder);
    std::int32_t score = 0;
    return ps_get_hyp(decoder, &score) != nullptr;
}

}  // namespace

void SpeechAligner::ConfigDeleter::operator()(cmd_ln_s* config) const { cmd_ln_free_r(config); }
void SpeechAligner::DecoderDeleter::operator()(ps_decoder_s* decoder) const { ps_free(decoder); }

/// One forced alignment of a line in a window.
struct SpeechAligner::Placement {
    bool found = false;
    std::size_t first = 0, last = 0;  ///< samples: the first word's start, the last word's end
    double score_per_frame = 0;       ///< acoustic score over [first, last)
    std::vector<AlignedWord> words;
};

SpeechAligner::SpeechAligner(const WordsTimingSettings& settings) : settings_(settings) {
    const fs::path folder = settings.model.empty() ? fs::path(kDebianSpeechModel) : settings.model;
    const auto [acoustic, dictionary] = model_files(folder);
    // Wide beams: a forced alignment has few paths, and narrow ones lose slow speakers.
    config_.reset(cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", acoustic.c_str(), "-dict",
                              dictionary.c_str(), "-logfn", "/dev/null", "-remove_silence", "no",
                              "-bestpath", "no", "-beam", "1e-80", "-wbeam", "1e-60", "-pbeam",
                              "1e-80", nullptr));
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
    }
    loop += " )+;\n";
    if (ps_set_jsgf_string(decoder_.get(), "loop", loop.c_str()) < 0)
        throw model_error(folder, "its phone set is not the CMU set the phone loop names");
}

SpeechAligner::~SpeechAligner() = default;

std::vector<std::string> SpeechAligner::sayable_words(const std::string& line,
                                                      std::size_t& phones) {
    std::vector<std::string> sayable;
    phones = 0;
    for (const auto& word : dictionary_words(line)) {
        char* known = ps_lookup_word(decoder_.get(), word.c_str());
        std::string pronunciation = known ? known : "";
        std::free(known);
        if (pronunciation.empty()) {
            auto spoken = spoken_pronunciation(word);
            if (!spoken || ps_add_word(decoder_.get(), word.c_str(), spoken->c_str(), TRUE) < 0) {
                unsayable_.push_back(word);
                continue;
            }
            spelled_.push_back(word + " (" + *spoken + ")");
            pronunciation = *spoken;
        }
        phones += static_cast<std::size_t>(
            std::count(pronunciation.begin(), pronunciation.end(), ' ') + 1);
        sayable.push_back(word);
    }
    return sayable;
}

double SpeechAligner::phone_loop_score(const std::vector<std::int16_t>& samples, std::size_t from,
                                       std::size_t to) {
    if (!decode(decoder_.get(), "loop", samples, from, to)) return -1e9;
    double score = 0;
    for (ps_seg_t* seg = ps_seg_iter(decoder_.get()); seg; seg = ps_seg_next(seg)) {
        std::int32_t acoustic = 0, language = 0, backoff = 0;
        ps_seg_prob(seg, &acoustic, &language, &backoff);
        score += acoustic;
    }
    return score;
}

SpeechAligner::Placement SpeechAligner::place(const std::vector<std::int16_t>& samples,
                                              std::size_t from, std::size_t to,
                                              const std::vector<std::string>& words) {
    Placement placement;
    std::string grammar = "#JSGF V1.0;\ngrammar line;\npublic <line> =";
    for (const auto& word : words) grammar += " " + word;
    grammar += ";\n";
    if (ps_set_jsgf_string(decoder_.get(), "line", grammar.c_str()) < 0) return placement;
    if (!decode(decoder_.get(), "line", samples, from, to)) return placement;
    struct Segment {
        std::string word;
        int start, end;
        std::int32_t acoustic;
    };
    std::vector<Segment> segments;
    for (ps_seg_t* seg = ps_seg_iter(decoder_.get()); seg; seg = ps_seg_next(seg)) {
        int start = 0, end = 0;
        ps_seg_frames(seg, &start, &end);
        std::int32_t acoustic = 0, language = 0, backoff = 0;
        ps_seg_prob(seg, &acoustic, &language, &backoff);
        const char* word = ps_seg_word(seg);
        segments.push_back(
            {is_filler(word) ? std::string() : base_word(word), start, end, acoustic});
    }
    int first = -1, last = -1;
    for (const auto& segment : segments) {
        if (segment.word.empty()) continue;
        if (first < 0) first = segment.start;
        last = segment.end;
        const double at = static_cast<double>(from) / kSpeechSampleRate;
        placement.words.push_back({segment.word, at + segment.start * kFrameSeconds,
                                   at + (segment.end + 1) * kFrameSeconds});
    }
    if (first < 0 || placement.words.size() != words.size()) return placement;
    double score = 0;
    for (const auto& segment : segments)
        if (segment.start >= first && segment.end <= last) score += segment.acoustic;
    placement.first = from + static_cast<std::size_t>(first) * kSamplesPerFrame;
    placement.last = std::min(to, from + static_cast<std::size_t>(last + 1) * kSamplesPerFrame);
    const double frames = last - first + 1;
    placement.score_per_frame =
        (score - phone_loop_score(samples, placement.first, placement.last)) / frames;
    placement.found = true;
    return placement;
}

std::vector<LineAlignment> SpeechAligner::align(const std::vector<std::int16_t>& samples,
                                                const std::vector<std::string>& lines,
                                                const std::vector<SpeechSpan>& speech) {
    std::vector<LineAlignment> placed(lines.size());
    const auto sample_at = [&](double seconds) {
        return std::clamp<std::size_t>(
            static_cast<std::size_t>(std::max(0.0, seconds) * kSpeechSampleRate), 0,
            samples.size());
    };
    std::size_t cursor = 0;  // the end of the last line found
    for (std::size_t k = 0; k < lines.size(); ++k) {
        std::size_t phones = 0;
        const std::vector<std::string> words = sayable_words(lines[k], phones);
        if (words.empty() || cursor >= samples.size()) continue;
        const double length =
            std::max(kShortestWindow, static_cast<double>(phones) * kSlowPhoneSeconds) +
            kWindowRoom;
        // Windows open at the cursor and at the next energy onsets after it; a line must
        // start at its window's onset (or, from the cursor, before the next onset): a short
        // line ("No.") otherwise matches inside a later one.
        std::vector<std::pair<std::size_t, std::size_t>> windows;  // from, latest start
        for (const auto& span : speech) {
            const std::size_t onset = sample_at(span.start);
            if (onset + sample_at(kLeadSeconds) <= cursor) continue;
            const std::size_t latest = onset + sample_at(kLateStartSeconds);
            if (windows.empty()) windows.push_back({cursor, latest});
            if (static_cast<int>(windows.size()) >= kCandidateWindows) break;
            const std::size_t from = std::max(cursor, sample_at(span.start - kLeadSeconds));
            if (from > windows.back().first + sample_at(kLeadSeconds))
                windows.push_back({from, latest});
        }
        if (windows.empty()) windows.push_back({cursor, samples.size()});
        for (const auto& [from, latest] : windows) {
            const std::size_t to = std::min(samples.size(), from + sample_at(length));
            if (to <= from + kSamplesPerFrame * 10) continue;
            Placement placement = place(samples, from, to, words);
            if (!placement.found || placement.first > latest) continue;
            const double confidence =
                1.0 / (1.0 + std::exp(-(placement.score_per_frame - kScoreCentre) / kScoreSpread));
            if (confidence < settings_.min_confidence) continue;
            LineAlignment& line = placed[k];
            line.status = LineStatus::Aligned;
            line.start = static_cast<double>(placement.first) / kSpeechSampleRate;
            line.end = static_cast<double>(placement.last) / kSpeechSampleRate;
            line.confidence = confidence;
            line.words = std::move(placement.words);
            cursor = placement.last;
            break;
        }
    }
    return placed;
}

}  // namespace storyreel
