#include "stages/cut_audio.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

#include "media/audio_decoder.h"
#include "pipeline/diagnostics.h"
#include "pipeline/interruption.h"
#include "stages/track_envelope.h"

namespace storyreel {

namespace {

constexpr std::int64_t kFrameBytes = sizeof(float) * kAudioChannels;

void check_io(ssize_t result, std::size_t expected, const std::filesystem::path& file) {
    if (result < 0 || static_cast<std::size_t>(result) != expected)
        throw BuildError({{file.string(), 0, 0},
                          "mixed audio",
                          std::string("cannot write temporary audio: ") + std::strerror(errno),
                          "check free space in the output folder"});
}

std::int64_t decoded_length(const std::filesystem::path& file) {
    std::int64_t length = 0;
    decode_audio_file(file, [&](const float*, int frames) { length += frames; });
    return length;
}

/// Adds one decoded track into the mix file (a float sum: levels do not depend on how
/// many tracks play).
void mix_track(int fd, const std::filesystem::path& mix_file, const AudioPlacement& placement,
               std::int64_t first_sample, std::int64_t count) {
    const AudioTrack& track = *placement.track;
    const std::int64_t placed_end_bound = first_sample + count;
    if (placement.cut_start_sample >= placed_end_bound) return;  // starts after the range
    const TrackEnvelope envelope(track,
                                 track.fade_out_samples > 0 ? decoded_length(track.file) : 0);
    std::int64_t position = placement.cut_start_sample;  // cut sample of the next decoded frame
    std::vector<float> mixed;
    decode_audio_file(track.file, [&](const float* samples, int frames) {
        stop_if_interrupted();
        const std::int64_t begin = std::max(position, first_sample);
        const std::int64_t end = std::min(position + frames, placed_end_bound);
        if (begin < end) {
            const std::size_t n = static_cast<std::size_t>(end - begin);
            mixed.resize(n * kAudioChannels);
            const off_t offset = static_cast<off_t>((begin - first_sample) * kFrameBytes);
            check_io(::pread(fd, mixed.data(), n * kFrameBytes, offset), n * kFrameBytes, mix_file);
            const std::int64_t file_index = begin - placement.cut_start_sample;
            const float* source = samples + (begin - position) * kAudioChannels;
            for (std::size_t i = 0; i < n; ++i) {
                const float level = envelope.at(file_index + static_cast<std::int64_t>(i));
                for (int c = 0; c < kAudioChannels; ++c)
                    mixed[i * kAudioChannels + c] += level * source[i * kAudioChannels + c];
            }
            check_io(::pwrite(fd, mixed.data(), n * kFrameBytes, offset), n * kFrameBytes,
                     mix_file);
        }
        position += frames;
    });
}

}  // namespace

std::shared_ptr<CutAudio> CutAudio::render(const std::vector<AudioPlacement>& placements,
                                           std::int64_t first_sample, std::int64_t count,
                                           const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(count * kFrameBytes)) != 0) {
        if (fd >= 0) ::close(fd);
        throw BuildError({{file.string(), 0, 0},
                          "mixed audio",
                          std::string("cannot create temporary audio: ") + std::strerror(errno),
                          "check free space in the output folder"});
    }
    std::shared_ptr<CutAudio> audio(new CutAudio(fd, first_sample, count));
    bool any_solo = false;
    for (const auto& placement : placements) any_solo = any_solo || placement.track->solo;
    for (const auto& placement : placements)
        if (track_is_heard(*placement.track, any_solo))
            mix_track(fd, file, placement, first_sample, count);
    return audio;
}

std::shared_ptr<CutAudio> CutAudio::open(const std::filesystem::path& file,
                                         std::int64_t first_sample, std::int64_t count,
                                         std::string content_key) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw BuildError({{file.string(), 0, 0},
                          "mixed audio",
                          std::string("cannot open the cached mix: ") + std::strerror(errno),
                          "run `storyreel cache gc` or remove the cache folder"});
    std::shared_ptr<CutAudio> audio(new CutAudio(fd, first_sample, count));
    audio->content_key_ = std::move(content_key);
    return audio;
}

CutAudio::~CutAudio() { ::close(fd_); }

void CutAudio::scale(std::int64_t start, std::int64_t count, float gain) {
    const std::int64_t begin = std::max(start, first_sample_);
    const std::int64_t end = std::min(start + count, first_sample_ + count_);
    constexpr std::int64_t kBlock = 48000;
    std::vector<float> block;
    for (std::int64_t at = begin; at < end; at += kBlock) {
        const std::size_t n = static_cast<std::size_t>(std::min(kBlock, end - at));
        block.resize(n * kAudioChannels);
        const off_t offset = static_cast<off_t>((at - first_sample_) * kFrameBytes);
        check_io(::pread(fd_, block.data(), n * kFrameBytes, offset), n * kFrameBytes, "mix");
        for (auto& sample : block) sample *= gain;
        check_io(::pwrite(fd_, block.data(), n * kFrameBytes, offset), n * kFrameBytes, "mix");
    }
}

void CutAudio::read(std::int64_t start, int count, float* interleaved) const {
    std::fill(interleaved, interleaved + static_cast<std::size_t>(count) * kAudioChannels, 0.f);
    const std::int64_t begin = std::max(start, first_sample_);
    const std::int64_t end = std::min(start + count, first_sample_ + count_);
    if (begin >= end) return;
    const std::size_t bytes = static_cast<std::size_t>(end - begin) * kFrameBytes;
    const ssize_t got = ::pread(fd_, interleaved + (begin - start) * kAudioChannels, bytes,
                                static_cast<off_t>((begin - first_sample_) * kFrameBytes));
    if (got != static_cast<ssize_t>(bytes))
        throw BuildError({{}, "mixed audio", "cannot read back temporary audio", {}});
}

}  // namespace storyreel
