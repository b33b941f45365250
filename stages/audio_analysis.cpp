#include "stages/audio_analysis.h"

#include "pipeline/project.h"
#include "pipeline/speech_detector.h"
#include "stages/audio_decoder.h"

namespace storyreel {

std::int64_t LibavAudioAnalyzer::sample_count(const std::filesystem::path& file) {
    if (auto known = lengths_.find(file); known != lengths_.end()) return known->second;
    std::int64_t count = 0;
    decode_audio_file(file, [&](const float*, int frames) { count += frames; });
    lengths_[file] = count;
    return count;
}

std::vector<SpeechSpan> LibavAudioAnalyzer::detect_speech(const std::filesystem::path& file,
                                                          const SpeechDetectionSettings& settings) {
    SpeechDetector detector(settings, kAudioSampleRate);
    std::vector<float> mono;
    std::int64_t count = 0;
    decode_audio_file(file, [&](const float* stereo, int frames) {
        mono.resize(static_cast<std::size_t>(frames));
        for (int i = 0; i < frames; ++i) mono[i] = 0.5f * (stereo[2 * i] + stereo[2 * i + 1]);
        detector.feed(mono.data(), frames);
        count += frames;
    });
    lengths_[file] = count;
    return detector.finish();
}

}  // namespace storyreel
