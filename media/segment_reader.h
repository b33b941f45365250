#pragma once
// Reads a shot segment (segment_writer.h) back as the frames it plays.
//
// An intra segment stores one packet per drawing whose duration is its hold; the movie
// plays that packet once per held frame. Other segments store every frame. Used by the
// assembler (copying the frames into a movie) and by a movie patch (finding the bytes a
// redrawn shot's frames must have).

#include <cstdint>
#include <filesystem>
#include <string>

#include "media/av_handles.h"

namespace storyreel {

class SegmentReader {
  public:
    /// Opens the segment; `intra_held` when its packets carry holds, counted in frames of
    /// `frame_time_base` (1 / the show's rate). Throws BuildError.
    SegmentReader(const std::filesystem::path& segment, AVRational frame_time_base,
                  bool intra_held);

    const AVStream& video() const { return *input_->streams[index_]; }
    /// The next packet of the video into `packet`, and how many frames it plays for
    /// (1 unless the segment holds drawings). False at the end of the segment.
    bool next(AVPacket* packet, std::int64_t& frames);

  private:
    std::string file_;
    AVRational frame_time_base_;
    bool intra_held_;
    av::InputContextPtr input_;
    int index_ = -1;
};

}  // namespace storyreel
