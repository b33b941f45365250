#include "stages/movie_assembler.h"

#include <algorithm>

#include "media/h264_idr_pic_id.h"
#include "media/segment_reader.h"
#include "pipeline/diagnostics.h"
#include "pipeline/interruption.h"

namespace storyreel {

MovieAssembler::MovieAssembler(const EncodeSettings& settings, const CutPlan& plan,
                               const OutputUnit& unit, const std::filesystem::path& file,
                               std::string final_name, AudioValue audio,
                               std::optional<std::filesystem::path> encoded_audio,
                               MovieMetadata metadata, AVIOContext* output)
    : settings_(settings),
      plan_(plan),
      unit_(unit),
      name_(std::move(final_name)),
      audio_source_(std::move(audio)),
      metadata_(std::move(metadata)),
      encoded_audio_path_(std::move(encoded_audio)),
      writer_(file, output) {
    frame_time_base_ = AVRational{static_cast<int>(plan.rate.den), static_cast<int>(plan.rate.num)};
}

void MovieAssembler::start(const AVStream& video) {
    video_stream_ =
        writer_.add_copied_stream(video.codecpar, frame_time_base_, plan_.rate, &metadata_);
    if (encoded_audio_path_) {
        open_encoded_audio();
    } else if (audio_source_) {
        audio_.emplace(settings_.container == Container::Mp4 ? "aac" : "pcm_s24le",
                       writer_.needs_global_header(), name_);
        audio_stream_ = writer_.add_stream(audio_->context(), nullptr);
    }
    writer_.start(metadata_, settings_.container == Container::Mp4);
    if (video.codecpar->codec_id == AV_CODEC_ID_H264)
        h264_ = parse_h264_params(video.codecpar->extradata, video.codecpar->extradata_size, name_);
    started_ = true;
}

void MovieAssembler::keep_idr_pic_ids_apart(AVPacket* first, const std::string& file) {
    const std::span<const std::uint8_t> bytes(first->data, static_cast<std::size_t>(first->size));
    if (last_idr_pic_id_ < 0 || h264_idr_pic_id(bytes, *h264_) != last_idr_pic_id_) return;
    // 3: neither the id before it nor one the segment gives its later pictures (1, 2).
    const std::vector<std::uint8_t> rewritten = h264_with_idr_pic_id(bytes, *h264_, 3);
    auto replaced = av::make_packet();
    av::check(av_new_packet(replaced.get(), static_cast<int>(rewritten.size())),
              "allocating a packet", file);
    std::copy(rewritten.begin(), rewritten.end(), replaced->data);
    av::check(av_packet_copy_props(replaced.get(), first), "copying packet properties", file);
    av_packet_unref(first);
    av_packet_move_ref(first, replaced.get());
}

void MovieAssembler::append(const std::filesystem::path& segment) {
    const std::string file = segment.string();
    SegmentReader reader(segment, frame_time_base_, settings_.intra_only());
    if (!started_) start(reader.video());
    auto packet = av::make_packet();
    auto copy = av::make_packet();
    auto last = av::make_packet();
    std::int64_t frames = 0;
    for (bool first = true; reader.next(packet.get(), frames); first = false) {
        stop_if_interrupted();  // a whole-cut movie is minutes of writing
        if (first && h264_) keep_idr_pic_ids_apart(packet.get(), file);
        for (std::int64_t i = 0; i < frames; ++i) {  // intra: one packet per drawing, held
            av::check(av_packet_ref(copy.get(), packet.get()), "copying a packet", file);
            copy->pts = copy->dts = frames_written_++;
            copy->duration = 1;
            copy->pos = -1;
            writer_.write(copy.get(), video_stream_, frame_time_base_);
            av_packet_unref(copy.get());
        }
        av_packet_unref(last.get());
        av_packet_move_ref(last.get(), packet.get());
        write_audio_until(movie_sample_at(frames_written_), false);
    }
    if (h264_ && last->data)
        last_idr_pic_id_ =
            h264_idr_pic_id({last->data, static_cast<std::size_t>(last->size)}, *h264_);
}

void MovieAssembler::append_preroll(const std::filesystem::path& segment, std::int64_t frames) {
    if (started_) throw std::logic_error(name_ + ": the slate must come before the first shot");
    preroll_frames_ = frames;
    preroll_samples_ = plan_.rate.sample_at_frame(frames, kAudioSampleRate);
    append(segment);
}

std::int64_t MovieAssembler::movie_sample_at(std::int64_t frame) const {
    if (frame <= preroll_frames_) return plan_.rate.sample_at_frame(frame, kAudioSampleRate);
    return preroll_samples_ +
           plan_.rate.sample_at_frame(unit_.cut_start_frame + frame - preroll_frames_,
                                      kAudioSampleRate) -
           unit_.cut_start_sample;
}

void MovieAssembler::read_movie_audio(std::int64_t position, int count) {
    const int silent =
        static_cast<int>(std::clamp<std::int64_t>(preroll_samples_ - position, 0, count));
    std::fill(audio_buffer_.begin(), audio_buffer_.begin() + std::size_t(silent) * kAudioChannels,
              0.f);
    if (count > silent)
        audio_source_->read(unit_.cut_start_sample + position + silent - preroll_samples_,
                            count - silent,
                            audio_buffer_.data() + std::size_t(silent) * kAudioChannels);
}

void MovieAssembler::write_audio_until(std::int64_t target, bool final) {
    if (encoded_audio_)
        copy_audio_until(target, final);
    else if (audio_)
        encode_audio_until(target, final);
}

void MovieAssembler::encode_audio_until(std::int64_t target, bool final) {
    const int size = audio_->frame_size();
    audio_buffer_.resize(static_cast<std::size_t>(size) * kAudioChannels);
    auto on_packet = [&](AVPacket* packet) {
        writer_.write(packet, audio_stream_, audio_->context()->time_base);
    };
    while (samples_written_ < target) {
        const std::int64_t left = target - samples_written_;
        if (left < size && !final) break;
        const int count = static_cast<int>(std::min<std::int64_t>(left, size));
        read_movie_audio(samples_written_, count);
        audio_->encode(audio_buffer_.data(), count, samples_written_, on_packet);
        samples_written_ += count;
    }
    if (final) audio_->flush(on_packet);
}

void MovieAssembler::open_encoded_audio() {
    const std::string file = encoded_audio_path_->string();
    AVFormatContext* raw = nullptr;
    av::check(avformat_open_input(&raw, file.c_str(), nullptr, nullptr),
              "opening the encoded audio", file,
              "the cache entry may be damaged: remove it or run `storyreel cache gc`");
    encoded_audio_.reset(raw);
    av::check(avformat_find_stream_info(raw, nullptr), "reading the encoded audio", file);
    encoded_audio_index_ =
        av::check(av_find_best_stream(raw, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0),
                  "finding the encoded audio", file);
    const AVStream* stream = raw->streams[encoded_audio_index_];
    audio_stream_ = writer_.add_copied_audio_stream(stream->codecpar, stream->time_base);
    held_audio_ = av::make_packet();
}

/// Copies the encoded packets that start before sample `target` (all of them if final);
/// the AAC priming packet keeps its negative timestamp, so the muxer writes the same edit
/// list as when the audio is encoded here.
void MovieAssembler::copy_audio_until(std::int64_t target, bool final) {
    const AVRational time_base = encoded_audio_->streams[encoded_audio_index_]->time_base;
    const std::string file = encoded_audio_path_->string();
    while (true) {
        if (!held_audio_valid_) {
            const int status = av_read_frame(encoded_audio_.get(), held_audio_.get());
            if (status == AVERROR_EOF) return;
            av::check(status, "reading the encoded audio", file);
            if (held_audio_->stream_index != encoded_audio_index_) {
                av_packet_unref(held_audio_.get());
                continue;
            }
            held_audio_valid_ = true;
        }
        const std::int64_t start =
            av_rescale_q(held_audio_->pts, time_base, AVRational{1, kAudioSampleRate});
        if (!final && start >= target) return;
        held_audio_->pos = -1;
        writer_.write(held_audio_.get(), audio_stream_, time_base);
        av_packet_unref(held_audio_.get());
        held_audio_valid_ = false;
    }
}

void MovieAssembler::finish() {
    if (!started_) throw BuildError({{name_, 0, 0}, {}, "no shot segment to assemble", {}});
    write_audio_until(preroll_samples_ + unit_.sample_count, true);
    writer_.finish();
    if (frames_written_ != preroll_frames_ + unit_.frame_count)
        throw BuildError({{name_, 0, 0},
                          {},
                          "assembled " + std::to_string(frames_written_) + " frames, the cut has " +
                              std::to_string(unit_.frame_count),
                          "a cache entry may be stale: run `storyreel cache gc --max-size 0` and "
                          "build again"});
}

}  // namespace storyreel
