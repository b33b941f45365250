#include "stages/segment_writer.h"

#include <algorithm>
#include <cmath>

#include "media/h264_idr_pic_id.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

IntraStreamParameters::IntraStreamParameters(const EncodeSettings& settings,
                                             const ShowSettings& show, const std::string& label) {
    if (!settings.intra_only())
        throw std::logic_error(label + ": only intra-only codecs share stream parameters");
    const VideoEncoder opened(settings, show.width, show.height, show.frame_rate, true, label);
    *this = IntraStreamParameters(opened.context(), label);
}

IntraStreamParameters::IntraStreamParameters(const AVCodecContext* opened, const std::string& label)
    : parameters(avcodec_parameters_alloc()), time_base(opened->time_base) {
    if (!parameters) throw std::bad_alloc();
    av::check(avcodec_parameters_from_context(parameters.get(), opened),
              "copying encoder parameters", label);
}

SegmentWriter::SegmentWriter(const EncodeSettings& settings, const ShowSettings& show,
                             const std::filesystem::path& file, std::string label,
                             const IntraStreamParameters* stream)
    : settings_(settings), label_(std::move(label)), show_(show), writer_(file) {
    file_ = file.string();
    if (stream && !(settings_.intra_only() && writer_.needs_global_header()))
        throw std::logic_error(
            file_ + " (" + label_ +
            "): only intra-only codecs in a container with global headers can take "
            "shared stream parameters");
    if (stream) {
        time_base_ = stream->time_base;
        stream_ = writer_.add_copied_stream(stream->parameters.get(), time_base_, show_.frame_rate,
                                            nullptr);
    } else {
        time_base_ = encoder().context()->time_base;
        stream_ = writer_.add_stream(encoder().context(), nullptr);
    }
    if (!settings_.intra_only()) {
        const AVCodecContext* c = encoder().context();
        skip_writer_.emplace(parse_h264_params(c->extradata, c->extradata_size, file_));
        keyframe_interval_ = keyframe_interval_frames(settings_.keyframe_seconds, time_base_);
    }
    writer_.start(MovieMetadata{}, false);
}

VideoEncoder& SegmentWriter::encoder() {
    if (!encoder_)
        encoder_.emplace(settings_, show_.width, show_.height, show_.frame_rate,
                         writer_.needs_global_header(), file_);
    return *encoder_;
}

void SegmentWriter::add_panel(const OIIO::ImageBuf& image, std::int64_t frames) {
    add_panel(encoder().convert(image).get(), frames);
}

void SegmentWriter::add_panel(AVFrame* frame, std::int64_t frames) {
    if (settings_.intra_only() && !settings_.reuse_held_frames) {
        for (std::int64_t i = 0; i < frames; ++i) {
            holds_.push_back(1);
            predicted_.push_back(false);
            encoder().encode(frame, frames_sent_++,
                             [this](AVPacket* packet) { write_packet(packet); });
        }
        return;
    }
    frame->pict_type = AV_PICTURE_TYPE_I;  // H.264: a forced IDR per drawing
    // Its last IDR is the last repeat of the hold (write_h264_picture()).
    const std::int64_t last_repeat =
        keyframe_interval_ > 0 ? (frames - 1) / keyframe_interval_ * keyframe_interval_ : 0;
    frames_since_idr_sent_ = frames - last_repeat;
    holds_.push_back(frames);
    predicted_.push_back(false);
    encoder().encode(frame, frames_sent_, [this](AVPacket* packet) { write_packet(packet); });
    frames_sent_ += frames;
}

void SegmentWriter::add_frame(const OIIO::ImageBuf& image, bool starts_run) {
    add_frame(encoder().convert(image).get(), starts_run);
}

void SegmentWriter::add_frame(AVFrame* frame, bool starts_run) {
    // A seek keyframe every keyframe interval of a long run, as in a hold.
    const bool idr =
        starts_run || (keyframe_interval_ > 0 && frames_since_idr_sent_ >= keyframe_interval_);
    frames_since_idr_sent_ = idr ? 1 : frames_since_idr_sent_ + 1;
    frame->pict_type = idr ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    holds_.push_back(1);
    predicted_.push_back(!idr);
    encoder().encode(frame, frames_sent_++, [this](AVPacket* packet) { write_packet(packet); });
}

std::int64_t keyframe_interval_frames(double seconds, AVRational frame_duration) {
    if (seconds <= 0 || frame_duration.num <= 0 || frame_duration.den <= 0) return 0;
    return std::max<std::int64_t>(1, std::llround(seconds / av_q2d(frame_duration)));
}

void SegmentWriter::add_encoded_panel(AVPacket* packet, std::int64_t frames) {
    if (!settings_.intra_only() || !settings_.reuse_held_frames)
        throw std::logic_error(file_ + " (" + label_ +
                               "): a pre-encoded picture needs an intra codec");
    holds_.push_back(frames);
    predicted_.push_back(false);
    frames_sent_ += frames;
    write_packet(packet);
}

void SegmentWriter::write_packet(AVPacket* packet) {
    const AVRational time_base = time_base_;
    if (holds_.empty())
        throw std::logic_error(file_ + " (" + label_ +
                               "): encoder returned more pictures than sent");
    const std::int64_t hold = holds_.front();
    holds_.pop_front();
    const bool predicted = predicted_.front();
    predicted_.pop_front();
    const std::int64_t first = frames_written_;
    packet->pts = packet->dts = first;
    if (settings_.intra_only() || !predicted) packet->flags |= AV_PKT_FLAG_KEY;
    if (settings_.intra_only()) {
        // One packet per drawing; its duration is the hold.
        packet->duration = hold;
        writer_.write(packet, stream_, time_base);
        frames_written_ += hold;
        return;
    }
    write_h264_picture(packet, hold, predicted);
    frames_written_ += hold;
}

void SegmentWriter::set_idr_pic_id(AVPacket* packet, std::int64_t frame) {
    const int id = frame == 0 ? 0 : (last_idr_pic_id_ == 1 ? 2 : 1);
    last_idr_pic_id_ = id;
    const std::span<const std::uint8_t> bytes(packet->data, static_cast<std::size_t>(packet->size));
    if (h264_idr_pic_id(bytes, skip_writer_->params()) == id) return;
    const std::vector<std::uint8_t> rewritten =
        h264_with_idr_pic_id(bytes, skip_writer_->params(), id);
    auto replaced = av::make_packet();
    av::check(av_new_packet(replaced.get(), static_cast<int>(rewritten.size())),
              "allocating a packet", file_);
    std::copy(rewritten.begin(), rewritten.end(), replaced->data);
    av::check(av_packet_copy_props(replaced.get(), packet), "copying packet properties", file_);
    av_packet_unref(packet);
    av_packet_move_ref(packet, replaced.get());
}

void SegmentWriter::write_h264_picture(AVPacket* packet, std::int64_t hold, bool predicted) {
    const AVRational time_base = time_base_;
    const std::int64_t first = frames_written_;
    if (!predicted &&
        !h264_access_unit_is_idr({packet->data, static_cast<std::size_t>(packet->size)},
                                 skip_writer_->params()))
        throw std::logic_error(file_ + " (" + label_ +
                               "): libx264 did not start the panel with an IDR");
    packet->duration = 1;
    // A drawing's IDR is written again every keyframe_interval_ frames of its hold (the same
    // picture, frame_num and the picture order restarting there, with its own idr_pic_id),
    // so a seek decodes at most that many frames; the skip frames count from the newest IDR.
    auto idr = av::make_packet();
    if (!predicted) set_idr_pic_id(packet, first);
    if (!predicted && keyframe_interval_ > 0 && hold > keyframe_interval_)
        av::check(av_packet_ref(idr.get(), packet), "keeping the drawing's IDR picture", file_);
    writer_.write(packet, stream_, time_base);
    auto skip = av::make_packet();
    std::int64_t since_idr = 0;
    for (std::int64_t k = 1; k < hold; ++k) {
        if (idr->data && ++since_idr == keyframe_interval_) {
            since_idr = 0;
            av::check(av_packet_ref(skip.get(), idr.get()), "repeating the drawing's IDR picture",
                      file_);
            set_idr_pic_id(skip.get(), first + k);
        } else {
            if (!idr->data) ++since_idr;
            const std::vector<std::uint8_t> bytes = skip_writer_->skip_frame(since_idr);
            av::check(av_new_packet(skip.get(), static_cast<int>(bytes.size())),
                      "allocating a packet", file_);
            std::copy(bytes.begin(), bytes.end(), skip->data);
            skip->flags = 0;
        }
        skip->pts = skip->dts = first + k;
        skip->duration = 1;
        writer_.write(skip.get(), stream_, time_base);
        av_packet_unref(skip.get());
    }
}

void SegmentWriter::finish() {
    if (encoder_) encoder_->flush([this](AVPacket* packet) { write_packet(packet); });
    writer_.finish();
    if (frames_written_ != frames_sent_)
        throw std::logic_error(label_ + ": segment has " + std::to_string(frames_written_) +
                               " frames, expected " + std::to_string(frames_sent_));
}

}  // namespace storyreel
