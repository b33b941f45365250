#pragma once
// libav objects in RAII, and libav errors as messages that name the operation and file.
//
// Every libav object is owned by a std::unique_ptr with a deleter; factories return owned
// pointers. Destructors only release: finishing a file (trailer, flush) is an explicit
// call that can fail and report.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

namespace storyreel::av {

struct CodecContextDeleter {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct FrameDeleter {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct InputContextDeleter {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
/// Output contexts: closes the file (if open) and frees the context.
struct OutputContextDeleter {
    void operator()(AVFormatContext* context) const;
};
struct SwrDeleter {
    void operator()(SwrContext* context) const { swr_free(&context); }
};
struct SwsDeleter {
    void operator()(SwsContext* context) const { sws_freeContext(context); }
};
struct CodecParametersDeleter {
    void operator()(AVCodecParameters* parameters) const { avcodec_parameters_free(&parameters); }
};
struct DictionaryDeleter {
    void operator()(AVDictionary* dictionary) const { av_dict_free(&dictionary); }
};

using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using InputContextPtr = std::unique_ptr<AVFormatContext, InputContextDeleter>;
using OutputContextPtr = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using CodecParametersPtr = std::unique_ptr<AVCodecParameters, CodecParametersDeleter>;

FramePtr make_frame();
PacketPtr make_packet();

/// av_strerror text for a libav return code.
std::string error_text(int code);

/// Throws BuildError "OPERATION failed for FILE: <av_strerror>" when `code` < 0.
/// Returns `code` otherwise.
int check(int code, const std::string& operation, const std::string& file,
          const std::string& hint = {});

}  // namespace storyreel::av
