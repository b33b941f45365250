#include "stages/audio_analysis.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "media/audio_decoder.h"
#include "media/av_handles.h"
#include "pipeline/project.h"
#include "pipeline/speech_detector.h"
#include "stages/speech_aligner.h"
#include "stages/speech_audio.h"

namespace storyreel {

std::int64_t LibavAudioAnalyzer::sample_count(const std::filesystem::path& file) {
    if (auto known = lengths_.find(file); known != lengths_.end()) return known->second;
    std::int64_t count = 0;
    decode_audio_file(file, [&](const float*, int frames) { count += frames; });
    lengths_[file] = count;
    return count;
}

double LibavAudioAnalyzer::duration_seconds(const std::filesystem::path& file) {
    AVFormatContext* opened = nullptr;
    if (avformat_open_input(&opened, file.string().c_str(), nullptr, nullptr) < 0)
        return AudioAnalyzer::duration_seconds(file);  // decoding says why it cannot be read
    const av::InputContextPtr input(opened);
    if (avformat_find_stream_info(input.get(), nullptr) >= 0) {
        const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
        if (index >= 0) {
            const AVStream* stream = input->streams[index];
            if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
                return static_cast<double>(stream->duration) * av_q2d(stream->time_base);
        }
        if (input->duration != AV_NOPTS_VALUE && input->duration > 0)
            return static_cast<double>(input->duration) / AV_TIME_BASE;
    }
    return AudioAnalyzer::duration_seconds(file);
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

std::vector<LineAlignment> LibavAudioAnalyzer::align_lines(const std::filesystem::path& file,
                                                           const std::vector<std::string>& lines,
                                                           const WordsTimingSettings& settings,
                                                           SpeechSpan range) {
    SpeechAligner aligner(settings);  // before decoding: a missing model is said first
    auto samples = speech_samples(file);
    const auto sample_at = [&](double seconds) {  // within the track (an open end: its end)
        const double length = static_cast<double>(samples.size());
        return static_cast<std::size_t>(
            std::clamp(std::round(seconds * kSpeechSampleRate), 0.0, length));
    };
    const std::size_t first = sample_at(range.start), last = sample_at(range.end);
    samples = std::vector<std::int16_t>(samples.begin() + static_cast<std::ptrdiff_t>(first),
                                        samples.begin() + static_cast<std::ptrdiff_t>(last));
    auto placed = aligner.align(samples, lines);
    const double offset = static_cast<double>(first) / kSpeechSampleRate;
    for (auto& line : placed) {  // from the range's seconds to the file's
        if (line.status == LineStatus::NotFound) continue;
        line.start += offset;
        line.end += offset;
        for (auto& word : line.words) {
            word.start += offset;
            word.end += offset;
        }
    }
    for (const auto& word : aligner.spelled_words())
        spdlog::info("{}: '{}' is not in the speech dictionary; said as espeak-ng spells it",
                     file.filename().string(), word);
    for (const auto& word : aligner.unsayable_words())
        spdlog::warn("{}: no pronunciation for '{}'; its line is aligned without it",
                     file.filename().string(), word);
    return placed;
}

}  // namespace storyreel
