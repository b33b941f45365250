#pragma once
// Assembles a unit's movie from its shot segments by stream copy, with the cut's audio
// interleaved (PCM encoded from the mix as it goes, AAC copied from the track encoded
// once, stages/audio_track.h), and a timecode track. Costs about as much as writing the
// bytes: no video is decoded or encoded here.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "media/audio_encoder.h"
#include "media/encode_settings.h"
#include "media/h264_skip_frames.h"
#include "media/movie_writer.h"
#include "pipeline/cut_plan.h"
#include "stages/cut_audio.h"

namespace storyreel {

class MovieAssembler {
  public:
    /// `encoded_audio`: the unit's audio already encoded (copied, not encoded, when given);
    /// otherwise `audio` is encoded here. `output`: where the bytes go instead of `file`
    /// (media/movie_file_output.h), `file` then only names the container.
    MovieAssembler(const EncodeSettings& settings, const CutPlan& plan, const OutputUnit& unit,
                   const std::filesystem::path& file, std::string final_name, AudioValue audio,
                   std::optional<std::filesystem::path> encoded_audio, MovieMetadata metadata,
                   AVIOContext* output = nullptr);

    /// Appends a segment of `frames` frames that plays before the cut's first frame (the
    /// slate), over silence. Call before the first append().
    void append_preroll(const std::filesystem::path& segment, std::int64_t frames);
    /// Appends every frame of a segment (intra packets are repeated for their hold). H.264:
    /// a segment's first IDR picture is 0, as the last of a one-frame segment before it may
    /// be: it then gets another idr_pic_id (H.264 7.4.3; stages/segment_writer.h).
    void append(const std::filesystem::path& segment);
    /// Writes the rest of the audio and the trailer; checks the frame count.
    void finish();

    std::int64_t frames_written() const { return frames_written_; }

  private:
    void start(const AVStream& video);
    /// H.264: the segment's first packet, with an idr_pic_id other than the last picture's.
    void keep_idr_pic_ids_apart(AVPacket* first, const std::string& file);
    void write_audio_until(std::int64_t sample, bool final);
    void encode_audio_until(std::int64_t sample, bool final);
    void copy_audio_until(std::int64_t sample, bool final);
    void open_encoded_audio();
    /// Audio sample of the movie where movie frame `frame` starts.
    std::int64_t movie_sample_at(std::int64_t frame) const;
    /// Fills the audio buffer with `count` samples of the movie from `position`.
    void read_movie_audio(std::int64_t position, int count);

    EncodeSettings settings_;
    const CutPlan& plan_;
    const OutputUnit& unit_;
    std::string name_;  ///< final file name, for messages
    AudioValue audio_source_;
    MovieMetadata metadata_;
    MovieWriter writer_;
    std::optional<AudioEncoder> audio_;
    std::optional<std::filesystem::path> encoded_audio_path_;
    av::InputContextPtr encoded_audio_;  ///< open while copying
    int encoded_audio_index_ = -1;
    av::PacketPtr held_audio_;  ///< read, not yet due
    bool held_audio_valid_ = false;
    bool started_ = false;
    int video_stream_ = -1;
    int audio_stream_ = -1;
    AVRational frame_time_base_{1, 24};
    std::int64_t frames_written_ = 0;
    std::int64_t samples_written_ = 0;
    std::int64_t preroll_frames_ = 0;   ///< slate frames before the cut
    std::int64_t preroll_samples_ = 0;  ///< silence under them
    std::vector<float> audio_buffer_;
    std::optional<H264StreamParams> h264_;  ///< the video's, when it is H.264
    int last_idr_pic_id_ = -1;              ///< of the last picture written; -1: not an IDR
};

}  // namespace storyreel
