#include "media/video_encoder.h"

#include <algorithm>

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include "media/ycbcr_conversion.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

void set_option(AVCodecContext* context, const char* key, const std::string& value,
                const std::string& file) {
    av::check(av_opt_set(context->priv_data, key, value.c_str(), 0),
              std::string("setting encoder option ") + key + "=" + value, file);
}

int prores_profile_number(const std::string& profile) {
    if (profile == "proxy") return 0;
    if (profile == "lt") return 1;
    if (profile == "standard") return 2;
    return 3;
}

}  // namespace

VideoEncoder::VideoEncoder(const EncodeSettings& settings, int width, int height, FrameRate rate,
                           bool global_header, const std::string& file)
    : file_(file), packet_(av::make_packet()) {
    const AVCodec* codec = avcodec_find_encoder_by_name(settings.encoder_name());
    if (!codec)
        throw BuildError(
            {{file, 0, 0},
             {},
             std::string("this FFmpeg has no encoder '") + settings.encoder_name() + "'",
             "install Debian's libavcodec with that encoder"});
    context_.reset(avcodec_alloc_context3(codec));
    if (!context_) throw std::bad_alloc();
    AVCodecContext* c = context_.get();
    c->width = width;
    c->height = height;
    c->time_base = AVRational{static_cast<int>(rate.den), static_cast<int>(rate.num)};
    c->framerate = AVRational{static_cast<int>(rate.num), static_cast<int>(rate.den)};
    c->sample_aspect_ratio = AVRational{1, 1};
    c->pix_fmt = av_get_pix_fmt(settings.pixel_format_name());
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    switch (settings.codec) {
        case VideoCodec::ProRes:
            // prores_ks takes the profile as a private option, prores_aw as the context's.
            if (settings.prores_encoder == "prores_ks")
                set_option(c, "profile", std::to_string(prores_profile_number(settings.profile)),
                           file);
            else
                c->profile = prores_profile_number(settings.profile);
            set_option(c, "vendor", "apl0", file);
            if (settings.prores_bits_per_mb > 0)
                set_option(c, "bits_per_mb", std::to_string(settings.prores_bits_per_mb), file);
            // One thread: prores_ks/dnxhd slice threading makes the bytes depend on thread
            // scheduling; storyreel encodes several drawings at once instead.
            c->thread_count = 1;
            break;
        case VideoCodec::DNxHR:
            set_option(c, "profile", "dnxhr_" + settings.profile, file);
            // One thread: prores_ks/dnxhd slice threading makes the bytes depend on thread
            // scheduling; storyreel encodes several drawings at once instead.
            c->thread_count = 1;
            break;
        case VideoCodec::H264:
            // Each panel is one forced IDR; its held frames are all-skip P-frames we write
            // ourselves (h264_skip_frames.h says why these settings).
            set_option(c, "preset", settings.preset, file);
            set_option(c, "tune", "zerolatency", file);
            set_option(c, "crf",
                       std::to_string(std::max(0, settings.crf - settings.still_crf_boost)), file);
            set_option(c, "forced-idr", "1", file);
            set_option(c, "x264-params", "scenecut=0:ref=1:weightp=0", file);
            c->max_b_frames = 0;
            c->gop_size = 1 << 30;
            c->profile = FF_PROFILE_H264_HIGH;
            c->thread_count = 2;
            break;
    }
    av::check(avcodec_open2(c, codec, nullptr), std::string("opening encoder ") + codec->name, file,
              "check the encode stage's params");
}

av::FramePtr make_video_frame(const OIIO::ImageBuf& image, AVPixelFormat format,
                              const std::string& file) {
    auto frame = av::make_frame();
    frame->format = format;
    frame->width = image.spec().width;
    frame->height = image.spec().height;
    frame->color_primaries = AVCOL_PRI_BT709;
    frame->color_trc = AVCOL_TRC_BT709;
    frame->colorspace = AVCOL_SPC_BT709;
    frame->color_range = AVCOL_RANGE_MPEG;
    frame->sample_aspect_ratio = AVRational{1, 1};
    av::check(av_frame_get_buffer(frame.get(), 0), "allocating a video frame", file);
    rgb16_to_video_ycbcr(image, frame.get());
    return frame;
}

av::FramePtr VideoEncoder::convert(const OIIO::ImageBuf& image) {
    return make_video_frame(image, context_->pix_fmt, file_);
}

std::optional<av::PacketPtr> VideoEncoder::encode_intra(AVFrame* frame) {
    std::optional<av::PacketPtr> result;
    encode(frame, pictures_sent_++, [&](AVPacket* packet) {
        if (result)
            throw std::logic_error(file_ + ": an intra encoder returned two pictures for one");
        result = av::make_packet();
        av::check(av_packet_ref(result->get(), packet), "keeping an encoded picture", file_);
    });
    return result;
}

void VideoEncoder::encode(AVFrame* frame, std::int64_t pts,
                          const std::function<void(AVPacket*)>& on_packet) {
    frame->pts = pts;
    av::check(avcodec_send_frame(context_.get(), frame), "encoding video", file_);
    receive(on_packet);
}

void VideoEncoder::flush(const std::function<void(AVPacket*)>& on_packet) {
    av::check(avcodec_send_frame(context_.get(), nullptr), "flushing the video encoder", file_);
    receive(on_packet);
}

void VideoEncoder::receive(const std::function<void(AVPacket*)>& on_packet) {
    while (true) {
        const int status = avcodec_receive_packet(context_.get(), packet_.get());
        if (status == AVERROR(EAGAIN) || status == AVERROR_EOF) return;
        av::check(status, "receiving encoded video", file_);
        on_packet(packet_.get());
        av_packet_unref(packet_.get());
    }
}

}  // namespace storyreel
