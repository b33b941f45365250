#include "pipeline/audio_analyzer.h"

#include "pipeline/diagnostics.h"

namespace storyreel {

std::vector<LineAlignment> AudioAnalyzer::align_lines(const std::filesystem::path& file,
                                                      const std::vector<std::string>&,
                                                      const WordsTimingSettings&, SpeechSpan) {
    throw BuildError(
        Diagnostic{{},
                   file.string(),
                   "words timing needs a speech recogniser, and none is available here",
                   "run storyreel build, validate or timing"});
}

}  // namespace storyreel
