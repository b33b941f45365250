#pragma once
// The temp audio of the cut, mixed once and kept on disk (port type "audio").
//
// Mixing writes float samples into a file (the audio stage keeps it in the shot cache), so
// an hour-long cut costs disk, not memory. Readers ask for any range of cut samples; outside
// the rendered span (and where no track plays) they get silence.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel {

inline constexpr const char* kAudioPort = "audio";
inline constexpr int kAudioChannels = 2;

class CutAudio {
  public:
    /// Decodes and mixes every placement overlapping [first_sample, first_sample + count)
    /// into `file`. Throws BuildError naming the audio file that fails.
    static std::shared_ptr<CutAudio> render(const std::vector<AudioPlacement>& placements,
                                            std::int64_t first_sample, std::int64_t count,
                                            const std::filesystem::path& file);
    /// A mix rendered earlier, read-only (scale() fails on it). `content_key` names what
    /// determined its samples.
    static std::shared_ptr<CutAudio> open(const std::filesystem::path& file,
                                          std::int64_t first_sample, std::int64_t count,
                                          std::string content_key);
    ~CutAudio();
    CutAudio(const CutAudio&) = delete;
    CutAudio& operator=(const CutAudio&) = delete;

    /// Copies `count` interleaved stereo sample frames starting at cut sample `start`.
    /// Thread-safe.
    void read(std::int64_t start, int count, float* interleaved) const;

    /// Multiplies cut samples [start, start + count) by `gain` (loudness normalisation).
    void scale(std::int64_t start, std::int64_t count, float gain);

    /// A key of everything that determined the samples (the audio stage's mix key), or
    /// empty when unknown: then the samples themselves must be hashed.
    const std::string& content_key() const { return content_key_; }
    void set_content_key(std::string key) { content_key_ = std::move(key); }

    std::int64_t first_sample() const { return first_sample_; }
    std::int64_t sample_count() const { return count_; }

  private:
    CutAudio(int fd, std::int64_t first_sample, std::int64_t count)
        : fd_(fd), first_sample_(first_sample), count_(count) {}
    int fd_;
    std::int64_t first_sample_;
    std::int64_t count_;
    std::string content_key_;
};

using AudioValue = std::shared_ptr<const CutAudio>;

}  // namespace storyreel
