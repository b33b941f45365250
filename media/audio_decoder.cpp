#include "media/audio_decoder.h"

#include <vector>

#include "media/av_handles.h"
#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

extern "C" {
#include <libavutil/opt.h>
}

namespace storyreel {

namespace {

constexpr const char* kUnreadableHint =
    "check the file plays, or convert it to WAV; any format libav decodes is accepted";

class Resampler {
  public:
    Resampler(const AVCodecContext& decoder, const std::string& file) : file_(file) {
        AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
        AVChannelLayout input_layout;
        if (decoder.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
            decoder.ch_layout.nb_channels == 0)
            av_channel_layout_default(&input_layout, std::max(1, decoder.ch_layout.nb_channels));
        else
            av_channel_layout_copy(&input_layout, &decoder.ch_layout);
        SwrContext* raw = nullptr;
        int status =
            swr_alloc_set_opts2(&raw, &stereo, AV_SAMPLE_FMT_FLT, kAudioSampleRate, &input_layout,
                                decoder.sample_fmt, decoder.sample_rate, 0, nullptr);
        av_channel_layout_uninit(&input_layout);
        context_.reset(raw);
        av::check(status, "setting up the resampler", file_, kUnreadableHint);
        av::check(swr_init(context_.get()), "starting the resampler", file_, kUnreadableHint);
    }

    /// Converts `frame` (or drains, when null) and hands the result to `sink`.
    void convert(const AVFrame* frame, const AudioChunkSink& sink) {
        const int in_count = frame ? frame->nb_samples : 0;
        const int capacity = swr_get_out_samples(context_.get(), in_count) + 32;
        buffer_.resize(static_cast<std::size_t>(capacity) * 2);
        uint8_t* out[] = {reinterpret_cast<uint8_t*>(buffer_.data())};
        const int produced = av::check(
            swr_convert(context_.get(), out, capacity,
                        frame ? const_cast<const uint8_t**>(frame->extended_data) : nullptr,
                        in_count),
            "resampling audio", file_, kUnreadableHint);
        if (produced > 0) sink(buffer_.data(), produced);
    }

  private:
    std::string file_;
    av::SwrPtr context_;
    std::vector<float> buffer_;
};

}  // namespace

void decode_audio_file(const std::filesystem::path& path, const AudioChunkSink& sink) {
    const std::string file = path.string();
    AVFormatContext* raw_input = nullptr;
    av::check(avformat_open_input(&raw_input, file.c_str(), nullptr, nullptr), "opening audio file",
              file, kUnreadableHint);
    av::InputContextPtr input(raw_input);
    av::check(avformat_find_stream_info(input.get(), nullptr), "reading audio stream info", file,
              kUnreadableHint);
    const AVCodec* codec = nullptr;
    const int stream_index =
        av::check(av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0),
                  "finding an audio stream", file, kUnreadableHint);
    av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder) throw std::bad_alloc();
    av::check(avcodec_parameters_to_context(decoder.get(), input->streams[stream_index]->codecpar),
              "configuring the audio decoder", file, kUnreadableHint);
    av::check(avcodec_open2(decoder.get(), codec, nullptr), "opening the audio decoder", file,
              kUnreadableHint);
    Resampler resampler(*decoder, file);

    auto packet = av::make_packet();
    auto frame = av::make_frame();
    auto receive_all = [&] {
        while (true) {
            const int status = avcodec_receive_frame(decoder.get(), frame.get());
            if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
            av::check(status, "decoding audio", file, kUnreadableHint);
            resampler.convert(frame.get(), sink);
            av_frame_unref(frame.get());
        }
    };
    while (true) {
        const int status = av_read_frame(input.get(), packet.get());
        if (status == AVERROR_EOF) break;
        av::check(status, "reading audio", file, kUnreadableHint);
        if (packet->stream_index == stream_index) {
            const int sent = avcodec_send_packet(decoder.get(), packet.get());
            av_packet_unref(packet.get());
            if (sent != AVERROR_INVALIDDATA)
                av::check(sent, "decoding audio", file, kUnreadableHint);
            receive_all();
        } else {
            av_packet_unref(packet.get());
        }
    }
    av::check(avcodec_send_packet(decoder.get(), nullptr), "flushing the audio decoder", file);
    receive_all();
    resampler.convert(nullptr, sink);
}

}  // namespace storyreel
