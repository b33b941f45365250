#include "stages/speech_audio.h"

#include "media/audio_decoder.h"
#include "media/av_handles.h"
#include "pipeline/project.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace storyreel {

namespace {

constexpr const char* kResampleHint = "convert the dialogue track to WAV and try again";

/// 48 kHz mono float in, 16 kHz mono s16 out.
class SpeechResampler {
  public:
    explicit SpeechResampler(const std::string& file) : file_(file) {
        AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
        SwrContext* raw = nullptr;
        const int status =
            swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_S16, kSpeechSampleRate, &mono,
                                AV_SAMPLE_FMT_FLT, kAudioSampleRate, 0, nullptr);
        context_.reset(raw);
        av::check(status, "setting up the 16 kHz resampler", file_, kResampleHint);
        av::check(swr_init(context_.get()), "starting the 16 kHz resampler", file_, kResampleHint);
    }

    /// Converts `count` samples (or drains, when `mono` is null) onto `out`.
    void convert(const float* mono, int count, std::vector<std::int16_t>& out) {
        const int capacity = swr_get_out_samples(context_.get(), count) + 32;
        const std::size_t at = out.size();
        out.resize(at + static_cast<std::size_t>(capacity));
        auto* target = reinterpret_cast<std::uint8_t*>(out.data() + at);
        const auto* source = reinterpret_cast<const std::uint8_t*>(mono);
        const int produced = av::check(
            swr_convert(context_.get(), &target, capacity, mono ? &source : nullptr, count),
            "resampling to 16 kHz", file_, kResampleHint);
        out.resize(at + static_cast<std::size_t>(produced));
    }

  private:
    std::string file_;
    av::SwrPtr context_;
};

}  // namespace

std::vector<std::int16_t> speech_samples(const std::filesystem::path& file) {
    SpeechResampler resampler(file.string());
    std::vector<std::int16_t> samples;
    std::vector<float> mono;
    decode_audio_file(file, [&](const float* stereo, int count) {
        mono.resize(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) mono[i] = 0.5f * (stereo[2 * i] + stereo[2 * i + 1]);
        resampler.convert(mono.data(), count, samples);
    });
    resampler.convert(nullptr, 0, samples);
    return samples;
}

}  // namespace storyreel
