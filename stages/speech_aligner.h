#pragma once
// Finds expected dialogue lines in a recording with PocketSphinx (Debian 12's 5prealpha
// library API): each line is force-aligned, in order, in a window that starts at the
// speech after the previous line, and is trusted only when its words explain the sound
// about as well as a free phone loop does.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/timing_spec.h"

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

    /// Places each of `lines` in `samples` (16 kHz mono, speech_audio.h); `speech` are the
    /// energy onsets (seconds) where windows start. One entry per line: Aligned (with its
    /// words and a confidence of at least min_confidence) or NotFound.
    std::vector<LineAlignment> align(const std::vector<std::int16_t>& samples,
                                     const std::vector<std::string>& lines,
                                     const std::vector<SpeechSpan>& speech);

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
    struct Placement;

    std::vector<std::string> sayable_words(const std::string& line, std::size_t& phones);
    Placement place(const std::vector<std::int16_t>& samples, std::size_t from, std::size_t to,
                    const std::vector<std::string>& words);
    double phone_loop_score(const std::vector<std::int16_t>& samples, std::size_t from,
                            std::size_t to);

    WordsTimingSettings settings_;
    std::unique_ptr<cmd_ln_s, ConfigDeleter> config_;
    std::unique_ptr<ps_decoder_s, DecoderDeleter> decoder_;
    std::vector<std::string> spelled_, unsayable_;
};

}  // namespace storyreel
