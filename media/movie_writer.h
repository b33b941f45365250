#pragma once
// A movie file being written: container, video and optional audio stream, timecode track.

#include <filesystem>
#include <string>

#include "media/av_handles.h"
#include "pipeline/frame_rate.h"

namespace storyreel {

struct MovieMetadata {
    std::string timecode;  ///< start timecode of the first frame ("01:00:00:00")
    std::string reel;      ///< reel name (MOV tmcd source reference)
    std::string title;
};

class MovieWriter {
  public:
    /// Opens `path` for writing; the container is chosen from its extension. With `output`,
    /// the bytes go there instead (media/movie_file_output.h); the caller owns it.
    explicit MovieWriter(const std::filesystem::path& path, AVIOContext* output = nullptr);
    ~MovieWriter();
    MovieWriter(const MovieWriter&) = delete;
    MovieWriter& operator=(const MovieWriter&) = delete;

    /// True when codec headers must go out of band (set AV_CODEC_FLAG_GLOBAL_HEADER).
    bool needs_global_header() const;

    /// Adds a stream for an opened encoder; returns its index.
    int add_stream(const AVCodecContext* encoder, const MovieMetadata* video_metadata);
    /// Adds a stream that packets are copied into (no encoder); returns its index.
    int add_copied_stream(const AVCodecParameters* parameters, AVRational time_base, FrameRate rate,
                          const MovieMetadata* video_metadata);
    /// Adds an audio stream that encoded packets are copied into; returns its index.
    int add_copied_audio_stream(const AVCodecParameters* parameters, AVRational time_base);
    /// Writes the header; `fast_start` moves the index to the front (MP4 for the web).
    void start(const MovieMetadata& metadata, bool fast_start);

    /// Writes a packet whose timestamps are in `time_base`, for stream `stream`.
    /// The packet is consumed (unreferenced).
    void write(AVPacket* packet, int stream, AVRational time_base);
    /// Writes the trailer and closes the file.
    void finish();

  private:
    std::string file_;
    av::OutputContextPtr context_;
    bool own_output_ = true;
};

}  // namespace storyreel
