#pragma once
// A libav audio encoder fed with interleaved stereo float at 48 kHz.

#include <functional>
#include <string>
#include <vector>

#include "media/av_handles.h"

namespace storyreel {

class AudioEncoder {
  public:
    /// `codec_name`: "pcm_s24le" (MOV) or "aac" (MP4).
    AudioEncoder(const std::string& codec_name, bool global_header, const std::string& file);

    AVCodecContext* context() const { return context_.get(); }
    /// Samples per call the encoder wants (AAC 1024; PCM any, we use 1024).
    int frame_size() const { return frame_size_; }

    /// Encodes `count` (<= frame_size) sample frames starting at sample `pts`.
    void encode(const float* interleaved, int count, std::int64_t pts,
                const std::function<void(AVPacket*)>& on_packet);
    void flush(const std::function<void(AVPacket*)>& on_packet);

  private:
    void receive(const std::function<void(AVPacket*)>& on_packet);

    std::string file_;
    av::CodecContextPtr context_;
    av::PacketPtr packet_;
    int frame_size_ = 1024;
};

}  // namespace storyreel
