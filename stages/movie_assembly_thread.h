#pragma once
// Assembles a unit's editorial movie while its later shots are still being encoded.
//
// A whole-cut intra movie is gigabytes of held frames: written after the last shot is
// encoded, writing it is as long again as the encoding. Here the movie is assembled on a
// thread of its own (MovieAssembler into a MovieFileOutput): the encode stage hands over
// each shot's segment, in cut order, as soon as it is in the cache, and the disk writes
// while the graph's workers go on encoding. The thread is a plain one, not a TBB task: it
// spends its time waiting for the disk, which would idle a TBB worker and so an encoder.
//
// Only for MOV units whose audio is the cut's mix (encoded as PCM on the way): an MP4's
// AAC track is itself still being encoded during the unit.

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "media/encode_settings.h"
#include "media/movie_file_output.h"
#include "media/movie_writer.h"
#include "pipeline/cut_plan.h"
#include "stages/cut_audio.h"

namespace storyreel {

class MovieAssemblyThread {
  public:
    /// Starts assembling `unit`'s movie into `file` (a temporary name; `final_name` names
    /// it in messages). The references must outlive this object.
    MovieAssemblyThread(const EncodeSettings& settings, const CutPlan& plan, const OutputUnit& unit,
                        std::filesystem::path file, std::string final_name, AudioValue audio,
                        MovieMetadata metadata);
    /// Abandons an unfinished movie: stops after the segment in hand (the file is its
    /// owner's to remove). Never throws.
    ~MovieAssemblyThread();
    MovieAssemblyThread(const MovieAssemblyThread&) = delete;
    MovieAssemblyThread& operator=(const MovieAssemblyThread&) = delete;

    /// The slate's segment (`frames` frames over silence), before any append().
    void append_preroll(const std::filesystem::path& segment, std::int64_t frames);
    /// The next shot's segment. Rethrows what the assembly met so far, if anything.
    void append(const std::filesystem::path& segment);
    /// Waits for the segments handed over, writes the trailer and checksums the movie.
    /// Rethrows what the assembly met (BuildError naming the movie, BuildInterrupted...).
    WrittenMovie finish();

  private:
    struct Segment {
        std::filesystem::path path;
        std::int64_t preroll_frames = 0;  ///< > 0: the slate
    };

    void run(const EncodeSettings& settings, const CutPlan& plan, const OutputUnit& unit,
             const std::filesystem::path& file, const std::string& final_name, AudioValue audio,
             MovieMetadata metadata);
    void hand_over(Segment segment);
    void rethrow_if_failed();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Segment> queue_;
    bool finishing_ = false;   ///< no more segments: finish the movie
    bool abandoning_ = false;  ///< stop without finishing
    bool done_ = false;
    std::exception_ptr error_;
    std::optional<WrittenMovie> written_;
    std::thread thread_;
};

}  // namespace storyreel
