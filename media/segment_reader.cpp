#include "media/segment_reader.h"

#include <algorithm>

#include "pipeline/diagnostics.h"

namespace storyreel {

SegmentReader::SegmentReader(const std::filesystem::path& segment, AVRational frame_time_base,
                             bool intra_held)
    : file_(segment.string()), frame_time_base_(frame_time_base), intra_held_(intra_held) {
    AVFormatContext* raw = nullptr;
    av::check(avformat_open_input(&raw, file_.c_str(), nullptr, nullptr), "opening shot segment",
              file_, "the cache entry may be damaged: remove it or run `storyreel cache gc`");
    input_.reset(raw);
    av::check(avformat_find_stream_info(input_.get(), nullptr), "reading shot segment", file_);
    index_ = av::check(av_find_best_stream(input_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0),
                       "finding video in shot segment", file_);
}

bool SegmentReader::next(AVPacket* packet, std::int64_t& frames) {
    while (true) {
        const int status = av_read_frame(input_.get(), packet);
        if (status == AVERROR_EOF) return false;
        av::check(status, "reading shot segment", file_);
        if (packet->stream_index == index_) break;
        av_packet_unref(packet);
    }
    frames = intra_held_
                 ? std::max<std::int64_t>(
                       1, av_rescale_q(packet->duration, video().time_base, frame_time_base_))
                 : 1;
    return true;
}

}  // namespace storyreel
