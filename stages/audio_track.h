#pragma once
// A unit's audio encoded once for its movie (AAC, for MP4) and kept in the shot cache.
//
// AAC costs about as much CPU per minute of sound as encoding the distinct drawings of that
// minute, so the track is encoded while the pictures are encoded (started from a thread of
// its own, in chunks of 30 s on oneTBB's threads: media/chunked_aac.h), and it is reused
// for as long as the mixed samples stay the same: after a redrawn board the movie is
// re-assembled without re-encoding the whole cut's sound. PCM (MOV, MXF) costs nothing to
// encode and is written straight from the mix instead.

#include <atomic>
#include <filesystem>
#include <future>
#include <string>

#include "pipeline/artifact_cache.h"
#include "pipeline/cut_plan.h"
#include "stages/cut_audio.h"

namespace storyreel {

/// A key for the unit's mixed samples: from the mix's content key when it has one (the
/// audio stage's: input hashes and every mixing parameter), else by hashing the samples.
std::string audio_samples_key(const CutAudio& audio, const OutputUnit& unit);

class EncodedAudioTrack {
  public:
    /// Finds the AAC track for `samples_key` in `cache`, or starts encoding it: `silence`
    /// samples (under a slate) then the unit's audio, as the movie plays them. `label`
    /// names the movie in messages.
    EncodedAudioTrack(ArtifactCache& cache, AudioValue audio, const OutputUnit& unit,
                      std::int64_t silence, const std::string& samples_key, std::string label);
    /// Stops an unfinished encode (its cache entry is dropped) and waits for the thread.
    ~EncodedAudioTrack();
    EncodedAudioTrack(const EncodedAudioTrack&) = delete;
    EncodedAudioTrack& operator=(const EncodedAudioTrack&) = delete;

    /// The encoded track (an MP4 with one audio stream); waits for the encode and rethrows
    /// its failure.
    std::filesystem::path path();
    /// True when the track came from the cache.
    bool reused() const { return reused_; }

  private:
    std::filesystem::path encode(ArtifactCache& cache, const std::string& key, AudioValue audio,
                                 std::int64_t silence, std::int64_t first_sample,
                                 std::int64_t sample_count);

    std::string label_;
    bool reused_ = false;
    std::filesystem::path found_;
    std::atomic<bool> cancelled_{false};
    std::future<std::filesystem::path> job_;
};

}  // namespace storyreel
