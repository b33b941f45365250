#include "media/movie_writer.h"

#include <cstdlib>
#include <ctime>

#include "pipeline/diagnostics.h"
#include "pipeline/utc_time.h"

namespace storyreel {

namespace {

/// Timecode and reel name: the MOV/MP4 muxer turns them into a tmcd track.
void tag_video_stream(AVStream* stream, const MovieMetadata* metadata) {
    if (!metadata) return;
    if (!metadata->timecode.empty())
        av_dict_set(&stream->metadata, "timecode", metadata->timecode.c_str(), 0);
    if (!metadata->reel.empty())
        av_dict_set(&stream->metadata, "reel_name", metadata->reel.c_str(), 0);
}

/// MXF (OP1a): the muxer reads the start timecode and the reel (tape source package) name
/// from the file's metadata, and names the material package (Avid's clip name) from it.
void tag_mxf_packages(AVFormatContext* context, const MovieMetadata& metadata) {
    if (!metadata.timecode.empty())
        av_dict_set(&context->metadata, "timecode", metadata.timecode.c_str(), 0);
    if (!metadata.reel.empty())
        av_dict_set(&context->metadata, "reel_name", metadata.reel.c_str(), 0);
    if (!metadata.title.empty())
        av_dict_set(&context->metadata, "material_package_name", metadata.title.c_str(), 0);
}

/// Progressive pictures say so: the MOV muxer then writes a `fiel` atom (one field),
/// which Final Cut and Avid read for ProRes; without it they must guess.
void mark_progressive(AVFormatContext* context, AVStream* stream) {
    if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO &&
        std::string(context->oformat->name) == "mov")
        stream->codecpar->field_order = AV_FIELD_PROGRESSIVE;
}

/// The MXF muxer writes the file's creation time from metadata (Avid's and mediainfo's
/// "encoded date"); without it the date reads 0-00-00. SOURCE_DATE_EPOCH, when set, fixes
/// it for reproducible files.
void tag_mxf_creation_time(AVFormatContext* context) {
    std::string when = utc_time_now();
    if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
        const std::time_t seconds = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
        std::tm utc{};
        gmtime_r(&seconds, &utc);
        char text[32];
        std::strftime(text, sizeof text, kIso8601Utc, &utc);
        when = text;
    }
    av_dict_set(&context->metadata, "creation_time", when.c_str(), 0);
}

}  // namespace

MovieWriter::MovieWriter(const std::filesystem::path& path, AVIOContext* output)
    : file_(path.string()), own_output_(output == nullptr) {
    AVFormatContext* raw = nullptr;
    av::check(avformat_alloc_output_context2(&raw, nullptr, nullptr, file_.c_str()),
              "choosing a container", file_);
    context_.reset(raw);
    if (output) {
        context_->pb = output;
        context_->flags |= AVFMT_FLAG_CUSTOM_IO;
        return;
    }
    av::check(avio_open(&context_->pb, file_.c_str(), AVIO_FLAG_WRITE), "opening for writing",
              file_, "check the output folder is writable and has space");
}

MovieWriter::~MovieWriter() {
    if (context_ && !own_output_) context_->pb = nullptr;  // the caller's
}

bool MovieWriter::needs_global_header() const {
    return context_->oformat->flags & AVFMT_GLOBALHEADER;
}

int MovieWriter::add_stream(const AVCodecContext* encoder, const MovieMetadata* video_metadata) {
    AVStream* stream = avformat_new_stream(context_.get(), nullptr);
    if (!stream) throw std::bad_alloc();
    av::check(avcodec_parameters_from_context(stream->codecpar, encoder),
              "copying encoder parameters", file_);
    stream->time_base = encoder->time_base;
    if (encoder->codec_type == AVMEDIA_TYPE_VIDEO) {
        stream->avg_frame_rate = encoder->framerate;
        stream->r_frame_rate = encoder->framerate;
        stream->sample_aspect_ratio = encoder->sample_aspect_ratio;
        tag_video_stream(stream, video_metadata);
        mark_progressive(context_.get(), stream);
    }
    return stream->index;
}

int MovieWriter::add_copied_stream(const AVCodecParameters* parameters, AVRational time_base,
                                   FrameRate rate, const MovieMetadata* video_metadata) {
    AVStream* stream = avformat_new_stream(context_.get(), nullptr);
    if (!stream) throw std::bad_alloc();
    av::check(avcodec_parameters_copy(stream->codecpar, parameters), "copying stream parameters",
              file_);
    // Let the muxer choose the tag for its container (ProRes keeps its profile tag in MOV).
    if (std::string(context_->oformat->name).find("mp4") != std::string::npos)
        stream->codecpar->codec_tag = 0;
    stream->time_base = time_base;
    const AVRational frame_rate{static_cast<int>(rate.num), static_cast<int>(rate.den)};
    stream->avg_frame_rate = frame_rate;
    stream->r_frame_rate = frame_rate;
    stream->sample_aspect_ratio = parameters->sample_aspect_ratio;
    tag_video_stream(stream, video_metadata);
    mark_progressive(context_.get(), stream);
    return stream->index;
}

int MovieWriter::add_copied_audio_stream(const AVCodecParameters* parameters,
                                         AVRational time_base) {
    AVStream* stream = avformat_new_stream(context_.get(), nullptr);
    if (!stream) throw std::bad_alloc();
    av::check(avcodec_parameters_copy(stream->codecpar, parameters), "copying stream parameters",
              file_);
    stream->codecpar->codec_tag = 0;  // the muxer's own tag for its container
    stream->time_base = time_base;
    return stream->index;
}

void MovieWriter::start(const MovieMetadata& metadata, bool fast_start) {
    AVDictionary* options = nullptr;
    std::string flags = "+write_colr";
    if (fast_start) flags += "+faststart";
    const bool quicktime = std::string(context_->oformat->name) != "mxf";
    if (quicktime) av_dict_set(&options, "movflags", flags.c_str(), 0);
    if (!metadata.title.empty())
        av_dict_set(&context_->metadata, "title", metadata.title.c_str(), 0);
    if (!quicktime) {
        tag_mxf_packages(context_.get(), metadata);
        tag_mxf_creation_time(context_.get());
    }
    av_dict_set(&context_->metadata, "encoder", "storyreel", 0);
    const int status = avformat_write_header(context_.get(), &options);
    av_dict_free(&options);
    av::check(status, "writing the movie header", file_);
}

void MovieWriter::write(AVPacket* packet, int stream, AVRational time_base) {
    packet->stream_index = stream;
    av_packet_rescale_ts(packet, time_base, context_->streams[stream]->time_base);
    av::check(av_interleaved_write_frame(context_.get(), packet), "writing to the movie", file_,
              "check free space in the output folder");
}

void MovieWriter::finish() {
    av::check(av_interleaved_write_frame(context_.get(), nullptr), "flushing the movie", file_);
    av::check(av_write_trailer(context_.get()), "finishing the movie", file_,
              "check free space in the output folder");
    if (!own_output_) {
        avio_flush(context_->pb);
        av::check(context_->pb->error, "writing the movie", file_,
                  "check free space in the output folder");
        return;
    }
    av::check(avio_closep(&context_->pb), "closing the movie", file_);
}

}  // namespace storyreel
