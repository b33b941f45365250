// FLAC writer: libavcodec's "flac" encoder into libavformat's "flac" muxer.
//
// Every libav object is owned by media/av_handles.h's pointers; finish() flushes the
// encoder and writes the trailer (which fills in STREAMINFO's total sample count).

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
}

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "demo/audio_file_writer.h"
#include "media/av_handles.h"

namespace storyreel::demo {

namespace {

using av::CodecContextPtr;
using av::FramePtr;
using av::OutputContextPtr;
using av::PacketPtr;

class FlacWriter final : public AudioFileWriter {
  public:
    FlacWriter(const std::filesystem::path& file, int sample_rate, int channels)
        : file_(file), channels_(channels) {
        open_encoder(sample_rate, channels);
        open_output();
        frame_.reset(av_frame_alloc());
        packet_.reset(av_packet_alloc());
        if (!frame_ || !packet_) fail("allocating a frame and a packet", AVERROR(ENOMEM));
        frame_->format = encoder_->sample_fmt;
        frame_->sample_rate = encoder_->sample_rate;
        frame_->nb_samples = encoder_->frame_size;
        check(av_channel_layout_copy(&frame_->ch_layout, &encoder_->ch_layout),
              "copying the channel layout");
        check(av_frame_get_buffer(frame_.get(), 0), "allocating frame samples");
    }

    void write(std::span<const std::int16_t> interleaved) override {
        if (interleaved.size() % static_cast<std::size_t>(channels_) != 0)
            throw std::runtime_error("writing FLAC " + file_.string() +
                                     ": a block must hold whole sample frames");
        while (!interleaved.empty()) {
            const auto frame_values = static_cast<std::size_t>(encoder_->frame_size) * channels_;
            const std::size_t take = std::min(interleaved.size(), frame_values - filled_values_);
            if (filled_values_ == 0) check(av_frame_make_writable(frame_.get()), "reusing a frame");
            auto* samples = reinterpret_cast<std::int16_t*>(frame_->data[0]);
            std::memcpy(samples + filled_values_, interleaved.data(), take * sizeof(std::int16_t));
            filled_values_ += take;
            interleaved = interleaved.subspan(take);
            if (filled_values_ == frame_values) send_frame();
        }
    }

    void finish() override {
        if (filled_values_ > 0) send_frame();  // the encoder accepts a short last frame
        check(avcodec_send_frame(encoder_.get(), nullptr), "flushing the encoder");
        drain_packets();
        check(av_write_trailer(output_.get()), "writing the trailer");
        check(avio_closep(&output_->pb), "closing the file");
    }

  private:
    void open_encoder(int sample_rate, int channels) {
        const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_FLAC);
        if (!codec) fail("finding the flac encoder", AVERROR_ENCODER_NOT_FOUND);
        encoder_.reset(avcodec_alloc_context3(codec));
        if (!encoder_) fail("allocating the encoder", AVERROR(ENOMEM));
        encoder_->sample_fmt = AV_SAMPLE_FMT_S16;
        encoder_->sample_rate = sample_rate;
        encoder_->time_base = AVRational{1, sample_rate};
        av_channel_layout_default(&encoder_->ch_layout, channels);
        check(avcodec_open2(encoder_.get(), codec, nullptr), "opening the flac encoder");
        if (encoder_->frame_size <= 0) fail("the flac encoder has no frame size", AVERROR_BUG);
    }

    void open_output() {
        AVFormatContext* raw = nullptr;
        check(avformat_alloc_output_context2(&raw, nullptr, "flac", file_.string().c_str()),
              "creating the flac muxer");
        output_.reset(raw);
        stream_ = avformat_new_stream(output_.get(), nullptr);
        if (!stream_) fail("adding the audio stream", AVERROR(ENOMEM));
        stream_->time_base = encoder_->time_base;
        check(avcodec_parameters_from_context(stream_->codecpar, encoder_.get()),
              "describing the stream");
        check(avio_open(&output_->pb, file_.string().c_str(), AVIO_FLAG_WRITE),
              "opening the file for writing");
        check(avformat_write_header(output_.get(), nullptr), "writing the header");
    }

    void send_frame() {
        frame_->nb_samples = static_cast<int>(filled_values_ / channels_);
        frame_->pts = next_pts_;
        next_pts_ += frame_->nb_samples;
        check(avcodec_send_frame(encoder_.get(), frame_.get()), "encoding samples");
        filled_values_ = 0;
        drain_packets();
    }

    void drain_packets() {
        for (;;) {
            const int received = avcodec_receive_packet(encoder_.get(), packet_.get());
            if (received == AVERROR(EAGAIN) || received == AVERROR_EOF) return;
            check(received, "receiving an encoded packet");
            av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream_->time_base);
            packet_->stream_index = stream_->index;
            check(av_write_frame(output_.get(), packet_.get()), "writing a packet");
            av_packet_unref(packet_.get());
        }
    }

    void check(int result, const char* operation) const {
        if (result < 0) fail(operation, result);
    }
    [[noreturn]] void fail(const char* operation, int code) const {
        throw std::runtime_error("writing FLAC " + file_.string() + ": " + operation +
                                 " failed: " + av::error_text(code));
    }

    std::filesystem::path file_;
    CodecContextPtr encoder_;
    OutputContextPtr output_;
    AVStream* stream_ = nullptr;  ///< owned by output_
    FramePtr frame_;
    PacketPtr packet_;
    int channels_ = 2;
    std::size_t filled_values_ = 0;  ///< interleaved values already in frame_
    std::int64_t next_pts_ = 0;
};

}  // namespace

std::unique_ptr<AudioFileWriter> open_flac_writer(const std::filesystem::path& file,
                                                  int sample_rate, int channels) {
    return std::make_unique<FlacWriter>(file, sample_rate, channels);
}

}  // namespace storyreel::demo
