#pragma once
// A libav video encoder fed with conformed RGB images (BT.709, video levels).

#include <OpenImageIO/imagebuf.h>

#include <functional>
#include <optional>
#include <string>

#include "media/av_handles.h"
#include "media/encode_settings.h"
#include "pipeline/frame_rate.h"

namespace storyreel {

/// A new frame of `format` (a planar Y'CbCr format, BT.709, video range) holding `image`
/// (RGB UINT16, the frame's size). `file` names the output in errors.
av::FramePtr make_video_frame(const OIIO::ImageBuf& image, AVPixelFormat format,
                              const std::string& file);

class VideoEncoder {
  public:
    /// `file` is only used in error messages. `global_header`: the container wants
    /// codec headers out of band (MP4/MOV).
    VideoEncoder(const EncodeSettings& settings, int width, int height, FrameRate rate,
                 bool global_header, const std::string& file);

    AVCodecContext* context() const { return context_.get(); }

    /// Converts an RGB UINT16 image to the encoder's pixel format (BT.709 matrix, full-range
    /// RGB to video-range Y'CbCr; media/ycbcr_conversion.h) into a new frame.
    av::FramePtr convert(const OIIO::ImageBuf& image);

    /// Intra-only codecs: encodes one picture on its own and returns its packet (none when
    /// the encoder buffers it, which intra encoders do not).
    std::optional<av::PacketPtr> encode_intra(AVFrame* frame);

    /// Sends a frame (pts in frames) and hands every packet produced to `on_packet`.
    void encode(AVFrame* frame, std::int64_t pts, const std::function<void(AVPacket*)>& on_packet);
    /// Drains the encoder.
    void flush(const std::function<void(AVPacket*)>& on_packet);

  private:
    void receive(const std::function<void(AVPacket*)>& on_packet);

    std::string file_;
    av::CodecContextPtr context_;
    av::PacketPtr packet_;
    std::int64_t pictures_sent_ = 0;
};

}  // namespace storyreel
