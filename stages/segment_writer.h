#pragma once
// Encodes one shot into a video-only segment file (MOV), the unit the cache stores.
//
// Intra-only codecs store one packet per panel whose duration is the panel's hold: the
// drawing is encoded once and the segment costs one frame per panel on disk. The
// assembler writes that packet once per held frame. H.264 segments hold the shot's
// frames as they will play: each panel an IDR from libx264, its held frames all-skip
// P-frames of a few dozen bytes (h264_skip_frames.h).

#include <OpenImageIO/imagebuf.h>

#include <deque>
#include <filesystem>
#include <optional>
#include <string>

#include "media/av_handles.h"
#include "media/encode_settings.h"
#include "media/h264_skip_frames.h"
#include "media/movie_writer.h"
#include "media/video_encoder.h"
#include "pipeline/project.h"

namespace storyreel {

/// The stream parameters of an intra-only encoder with given settings, taken from one
/// opened (with a global header) and closed again, so that segments of pictures encoded
/// elsewhere need not open an encoder of their own (a DNxHR encoder zeroes ~67 MB of
/// tables when it opens).
struct IntraStreamParameters {
    IntraStreamParameters(const EncodeSettings& settings, const ShowSettings& show,
                          const std::string& label);
    /// From an encoder already open with those settings and a global header.
    IntraStreamParameters(const AVCodecContext* opened, const std::string& label);
    av::CodecParametersPtr parameters;
    AVRational time_base{};
};

/// Frames between a held drawing's IDR pictures for `seconds` (EncodeSettings::
/// keyframe_seconds) at frames of `frame_duration` seconds; 0 when seconds is 0.
std::int64_t keyframe_interval_frames(double seconds, AVRational frame_duration);

class SegmentWriter {
  public:
    /// `label` names the shot in messages. Intra-only codecs may pass `stream`: the
    /// segment's stream takes those parameters and the segment opens its own encoder only
    /// when a picture must be encoded here; a shot of pre-encoded drawings opens none.
    SegmentWriter(const EncodeSettings& settings, const ShowSettings& show,
                  const std::filesystem::path& file, std::string label,
                  const IntraStreamParameters* stream = nullptr);

    /// Adds a panel held for `frames` frames.
    void add_panel(const OIIO::ImageBuf& image, std::int64_t frames);
    /// The same, from a picture already converted to the encoder's pixel format.
    void add_panel(AVFrame* picture, std::int64_t frames);
    /// Intra-only codecs with held-frame reuse: a panel whose picture was already encoded
    /// (by another encoder with the same settings, e.g. on another thread).
    void add_encoded_panel(AVPacket* packet, std::int64_t frames);
    /// Adds one frame that differs from its neighbours (camera moves, transitions, per-frame
    /// burn-ins). H.264: `starts_run` makes it an IDR; the frames after it in the run are
    /// ordinary P-frames from libx264, but for an IDR every keyframe interval of the run,
    /// so a seek into a long camera move or a held panel with a running burn-in decodes at
    /// most that many frames too.
    void add_frame(const OIIO::ImageBuf& image, bool starts_run);
    /// The same, from a picture already in the encoder's pixel format (the caller may
    /// change and send it again: the encoder keeps no reference to it).
    void add_frame(AVFrame* picture, bool starts_run);
    /// Flushes the encoder and closes the file.
    void finish();

    std::int64_t frames_written() const { return frames_written_; }

  private:
    void write_packet(AVPacket* packet);
    /// H.264: the picture (an IDR when not `predicted`) and the rest of its hold.
    void write_h264_picture(AVPacket* packet, std::int64_t hold, bool predicted);
    /// H.264: gives the IDR packet at segment frame `frame` its idr_pic_id: 0 for the
    /// segment's first frame, then 1 and 2 in turn, so no two consecutive IDRs share one
    /// (H.264 7.4.3), within the segment or across a join with the next segment (whose
    /// first is 0), whatever the hold lengths or keyframe interval. A one-frame segment
    /// ends on its 0: MovieAssembler gives the next segment's first IDR another id.
    void set_idr_pic_id(AVPacket* packet, std::int64_t frame);
    VideoEncoder& encoder();

    EncodeSettings settings_;
    std::string label_;
    ShowSettings show_;
    MovieWriter writer_;
    std::optional<VideoEncoder> encoder_;  ///< opened on first use when `opened_like` was given
    AVRational time_base_{};
    int stream_ = -1;
    std::int64_t frames_sent_ = 0;
    std::int64_t frames_written_ = 0;
    std::deque<std::int64_t> holds_;  ///< holds of panels sent but not yet received
    std::deque<bool> predicted_;      ///< per sent picture: may be a P-frame (add_frame)
    std::optional<H264SkipFrameWriter> skip_writer_;
    std::int64_t keyframe_interval_ = 0;      ///< h264: frames between a drawing's IDRs; 0: one
    std::int64_t frames_since_idr_sent_ = 0;  ///< h264: frames sent since the last forced IDR
    int last_idr_pic_id_ = 0;                 ///< h264: of the last IDR written
    std::string file_;
};

}  // namespace storyreel
