#pragma once
// Finds expected dialogue lines in a recording with PocketSphinx (Debian 12's 5prealpha
// library API): one forced alignment of all lines, in order, each optional, with a garbage
// phone loop between them, over the whole track (line_grammar.h); a line it places is
// trusted only when its words explain the sound about as well as a free phone loop does.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/timing_spec.h"
#include "stages/pronunciations.h"

struct cmd_ln_s;
struct ps_decoder_s;

namespace storyreel {

/// Where Debian's pocketsphinx-en-us installs the en-us model.
inline constexpr const char* kDebianSpeechModel = "/usr/share/pocketsphinx/model/en-us";

class SpeechAligner {
  public:
    /// Loads the model of `settings` (Debian's en-us when none is named). Throws BuildError
    /// naming the folder, and the package to install, when it is missing or unreadable.
    explicit SpeechAligner(const WordsTimingSettings& settings);
    ~SpeechAligner();
    SpeechAligner(const SpeechAligner&) = delete;
    SpeechAligner& operator=(const SpeechAligner&) = delete;

    /// Places each of `lines` in `samples` (16 kHz mono, speech_audio.h). One entry per
    /// line: Aligned (with its words and a confidence of at least min_confidence; its start
    /// moved to where its sound starts, speech_onset.h) or NotFound.
    std::vector<LineAlignment> align(const std::vector<std::int16_t>& samples,
                                     const std::vector<std::string>& lines);

    /// Words not in the dictionary that got espeak-ng pronunciations, and those that got
    /// none (left out of their line's grammar), over all align() calls.
    const std::vector<std::string>& spelled_words() const { return spelled_; }
    const std::vector<std::string>& unsayable_words() const { return unsayable_; }

  private:
    struct ConfigDeleter {
        void operator()(cmd_ln_s* config) const;
    };
    struct DecoderDeleter {
        void operator()(ps_decoder_s* decoder) const;
    };
    struct Segment;

    SpokenLine sayable_words(const std::string& line);
    std::vector<std::string> line_entries(const std::vector<std::string>& words);
    std::vector<Segment> decode_segments(const char* search,
                                         const std::vector<std::int16_t>& samples);
    /// Keeps each placed line only if its words explain the sound about as well as a free
    /// phone loop and its first word starts at a sound onset.
    void judge(const std::vector<std::int16_t>& samples, const std::vector<Segment>& found,
               std::vector<LineAlignment>& placed);

    WordsTimingSettings settings_;
    std::unique_ptr<cmd_ln_s, ConfigDeleter> config_;
    std::unique_ptr<ps_decoder_s, DecoderDeleter> decoder_;
    std::vector<std::string> garbage_;  ///< the phone loop's words
    std::vector<std::string> spelled_, unsayable_;
    int entries_ = 0;  ///< line-word dictionary entries added so far
};

}  // namespace storyreel
