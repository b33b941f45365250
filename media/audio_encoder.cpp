#include "media/audio_encoder.h"

#include <algorithm>
#include <cmath>

#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

namespace storyreel {

AudioEncoder::AudioEncoder(const std::string& codec_name, bool global_header,
                           const std::string& file)
    : file_(file), packet_(av::make_packet()) {
    const AVCodec* codec = avcodec_find_encoder_by_name(codec_name.c_str());
    if (!codec)
        throw BuildError({{file, 0, 0}, {}, "this FFmpeg has no encoder '" + codec_name + "'", {}});
    context_.reset(avcodec_alloc_context3(codec));
    if (!context_) throw std::bad_alloc();
    AVCodecContext* c = context_.get();
    c->sample_rate = kAudioSampleRate;
    c->time_base = AVRational{1, kAudioSampleRate};
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(&c->ch_layout, &stereo);
    c->sample_fmt = codec->id == AV_CODEC_ID_AAC ? AV_SAMPLE_FMT_FLTP : AV_SAMPLE_FMT_S32;
    if (codec->id == AV_CODEC_ID_AAC) c->bit_rate = 256000;
    if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(c, codec, nullptr), "opening audio encoder " + codec_name, file);
    if (c->frame_size > 0) frame_size_ = c->frame_size;
}

void AudioEncoder::encode(const float* interleaved, int count, std::int64_t pts,
                          const std::function<void(AVPacket*)>& on_packet) {
    AVCodecContext* c = context_.get();
    auto frame = av::make_frame();
    frame->format = c->sample_fmt;
    frame->nb_samples = count;
    frame->sample_rate = c->sample_rate;
    av_channel_layout_copy(&frame->ch_layout, &c->ch_layout);
    av::check(av_frame_get_buffer(frame.get(), 0), "allocating an audio frame", file_);
    if (c->sample_fmt == AV_SAMPLE_FMT_FLTP) {
        auto* left = reinterpret_cast<float*>(frame->data[0]);
        auto* right = reinterpret_cast<float*>(frame->data[1]);
        for (int i = 0; i < count; ++i) {
            left[i] = interleaved[2 * i];
            right[i] = interleaved[2 * i + 1];
        }
    } else {
        auto* out = reinterpret_cast<int32_t*>(frame->data[0]);
        for (int i = 0; i < 2 * count; ++i) {
            const double v = std::clamp(static_cast<double>(interleaved[i]), -1.0, 1.0);
            out[i] = static_cast<int32_t>(std::lround(v * 8388607.0)) * 256;  // 24-bit in s32
        }
    }
    frame->pts = pts;
    av::check(avcodec_send_frame(c, frame.get()), "encoding audio", file_);
    receive(on_packet);
}

void AudioEncoder::flush(const std::function<void(AVPacket*)>& on_packet) {
    av::check(avcodec_send_frame(context_.get(), nullptr), "flushing the audio encoder", file_);
    receive(on_packet);
}

void AudioEncoder::receive(const std::function<void(AVPacket*)>& on_packet) {
    while (true) {
        const int status = avcodec_receive_packet(context_.get(), packet_.get());
        if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
        av::check(status, "receiving encoded audio", file_);
        on_packet(packet_.get());
        av_packet_unref(packet_.get());
    }
}

}  // namespace storyreel
