#include "media/av_handles.h"

#include "pipeline/diagnostics.h"

namespace storyreel::av {

void OutputContextDeleter::operator()(AVFormatContext* context) const {
    if (!context) return;
    if (context->pb && !(context->oformat->flags & AVFMT_NOFILE)) avio_closep(&context->pb);
    avformat_free_context(context);
}

FramePtr make_frame() {
    FramePtr frame(av_frame_alloc());
    if (!frame) throw std::bad_alloc();
    return frame;
}

PacketPtr make_packet() {
    PacketPtr packet(av_packet_alloc());
    if (!packet) throw std::bad_alloc();
    return packet;
}

std::string error_text(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(code, text, sizeof text);
    return text;
}

int check(int code, const std::string& operation, const std::string& file,
          const std::string& hint) {
    if (code >= 0) return code;
    throw BuildError({{file, 0, 0}, {}, operation + " failed: " + error_text(code), hint});
}

}  // namespace storyreel::av
