#include "tests/support/movie_probe.h"

#include <cmath>
#include <stdexcept>

#include "media/av_handles.h"
#include "pipeline/content_hash.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace storyreel::testing {

namespace {

av::InputContextPtr open_input(const std::filesystem::path& path) {
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0)
        throw std::runtime_error("cannot open " + path.string());
    av::InputContextPtr input(raw);
    if (avformat_find_stream_info(input.get(), nullptr) < 0)
        throw std::runtime_error("no stream info in " + path.string());
    return input;
}

std::string tag(const AVDictionary* dictionary, const char* key) {
    const AVDictionaryEntry* entry = av_dict_get(dictionary, key, nullptr, 0);
    return entry ? entry->value : "";
}

av::CodecContextPtr open_decoder(const AVStream* stream) {
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!codec) throw std::runtime_error("no decoder");
    av::CodecContextPtr context(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(context.get(), stream->codecpar);
    context->thread_count = 2;
    if (avcodec_open2(context.get(), codec, nullptr) < 0)
        throw std::runtime_error("cannot open decoder");
    return context;
}

/// Runs every packet of `stream_index` through `decoder`, handing frames to `on_frame`.
void decode_stream(AVFormatContext* input, int stream_index, AVCodecContext* decoder,
                   const std::function<void(AVFrame*)>& on_frame) {
    auto packet = av::make_packet();
    auto frame = av::make_frame();
    auto drain = [&] {
        while (avcodec_receive_frame(decoder, frame.get()) == 0) {
            on_frame(frame.get());
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(input, packet.get()) >= 0) {
        if (packet->stream_index == stream_index) {
            if (avcodec_send_packet(decoder, packet.get()) < 0)
                throw std::runtime_error("decode error");
            drain();
        }
        av_packet_unref(packet.get());
    }
    avcodec_send_packet(decoder, nullptr);
    drain();
}

}  // namespace

std::array<double, 3> RgbPicture::mean_around(int x, int y, int radius) const {
    std::array<double, 3> sum{0, 0, 0};
    int count = 0;
    for (int dy = -radius; dy <= radius; ++dy)
        for (int dx = -radius; dx <= radius; ++dx) {
            auto p = at(x + dx, y + dy);
            for (int c = 0; c < 3; ++c) sum[c] += p[c];
            ++count;
        }
    for (auto& v : sum) v /= count;
    return sum;
}

MovieInfo probe_movie(const std::filesystem::path& path) {
    auto input = open_input(path);
    MovieInfo info;
    for (unsigned i = 0; i < input->nb_streams; ++i) {
        const AVStream* stream = input->streams[i];
        const AVCodecParameters* par = stream->codecpar;
        if (par->codec_type == AVMEDIA_TYPE_VIDEO && info.video.codec.empty()) {
            VideoStreamInfo& v = info.video;
            v.codec = avcodec_get_name(par->codec_id);
            const char* profile = avcodec_profile_name(par->codec_id, par->profile);
            v.profile = profile ? profile : "";
            const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
            v.pix_fmt = pix ? pix : "";
            v.color_space = av_color_space_name(par->color_space);
            v.color_primaries = av_color_primaries_name(par->color_primaries);
            v.color_trc = av_color_transfer_name(par->color_trc);
            v.color_range = av_color_range_name(par->color_range);
            v.width = par->width;
            v.height = par->height;
            v.rate_num = stream->avg_frame_rate.num;
            v.rate_den = stream->avg_frame_rate.den;
            v.timecode = tag(stream->metadata, "timecode");
        } else if (par->codec_type == AVMEDIA_TYPE_AUDIO && !info.has_audio) {
            info.has_audio = true;
            info.audio_codec = avcodec_get_name(par->codec_id);
            info.audio_sample_rate = par->sample_rate;
            info.audio_channels = par->ch_layout.nb_channels;
        } else if (par->codec_type == AVMEDIA_TYPE_DATA) {
            if (info.video.timecode.empty())
                info.video.timecode = tag(stream->metadata, "timecode");
            info.video.reel = tag(stream->metadata, "reel_name");
        }
    }
    if (info.video.timecode.empty()) info.video.timecode = tag(input->metadata, "timecode");
    return info;
}

std::int64_t decode_video(const std::filesystem::path& path,
                          const std::function<bool(std::int64_t)>& wanted,
                          const std::function<void(std::int64_t, const RgbPicture&)>& on_frame) {
    auto input = open_input(path);
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (index < 0) throw std::runtime_error("no video in " + path.string());
    auto decoder = open_decoder(input->streams[index]);
    std::int64_t count = 0;
    av::SwsPtr scaler;
    decode_stream(input.get(), index, decoder.get(), [&](AVFrame* frame) {
        const std::int64_t n = count++;
        if (!wanted(n)) return;
        scaler.reset(sws_getCachedContext(scaler.release(), frame->width, frame->height,
                                          static_cast<AVPixelFormat>(frame->format), frame->width,
                                          frame->height, AV_PIX_FMT_RGB24,
                                          SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT,
                                          nullptr, nullptr, nullptr));
        const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
        sws_setColorspaceDetails(scaler.get(), bt709, 0, bt709, 1, 0, 1 << 16, 1 << 16);
        RgbPicture picture;
        picture.width = frame->width;
        picture.height = frame->height;
        picture.pixels.resize(static_cast<std::size_t>(frame->width) * frame->height * 3);
        uint8_t* planes[] = {picture.pixels.data()};
        int strides[] = {frame->width * 3};
        sws_scale(scaler.get(), frame->data, frame->linesize, 0, frame->height, planes, strides);
        on_frame(n, picture);
    });
    return count;
}

std::vector<float> decode_audio_mono(const std::filesystem::path& path) {
    auto input = open_input(path);
    const int index = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) throw std::runtime_error("no audio in " + path.string());
    auto decoder = open_decoder(input->streams[index]);
    std::vector<float> samples;
    decode_stream(input.get(), index, decoder.get(), [&](AVFrame* frame) {
        const int channels = frame->ch_layout.nb_channels;
        for (int i = 0; i < frame->nb_samples; ++i) {
            double sum = 0;
            for (int c = 0; c < channels; ++c) {
                switch (frame->format) {
                    case AV_SAMPLE_FMT_FLTP:
                        sum += reinterpret_cast<const float*>(frame->extended_data[c])[i];
                        break;
                    case AV_SAMPLE_FMT_S32:
                        sum += reinterpret_cast<const int32_t*>(frame->data[0])[i * channels + c] /
                               2147483648.0;
                        break;
                    case AV_SAMPLE_FMT_S16:
                        sum += reinterpret_cast<const int16_t*>(frame->data[0])[i * channels + c] /
                               32768.0;
                        break;
                    default:
                        throw std::runtime_error("unexpected sample format in test decode");
                }
            }
            samples.push_back(static_cast<float>(sum / channels));
        }
    });
    return samples;
}

std::int64_t find_onset(const std::vector<float>& samples, std::int64_t from, float threshold) {
    for (std::int64_t i = std::max<std::int64_t>(0, from);
         i < static_cast<std::int64_t>(samples.size()); ++i)
        if (std::fabs(samples[i]) > threshold) return i;
    return -1;
}

std::vector<std::string> decoded_frame_hashes(const std::filesystem::path& path) {
    std::vector<std::string> hashes;
    decode_video(
        path, [](std::int64_t) { return true; },
        [&](std::int64_t, const RgbPicture& picture) {
            ContentHasher hasher;
            hasher.add(std::string(picture.pixels.begin(), picture.pixels.end()));
            hashes.push_back(hasher.digest());
        });
    return hashes;
}

}  // namespace storyreel::testing
