#pragma once
// Reads movies back with libav for tests: stream properties, decoded frames, decoded audio.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace storyreel::testing {

struct VideoStreamInfo {
    std::string codec;
    std::string profile;
    std::string pix_fmt;
    std::string color_space, color_primaries, color_trc, color_range;
    int width = 0, height = 0;
    int rate_num = 0, rate_den = 1;
    std::string timecode;  ///< from the stream's or the tmcd track's tags
    std::string reel;      ///< reel_name tag, when present
};

struct MovieInfo {
    VideoStreamInfo video;
    bool has_audio = false;
    std::string audio_codec;
    int audio_sample_rate = 0;
    int audio_channels = 0;
};

MovieInfo probe_movie(const std::filesystem::path& path);

/// An 8-bit RGB picture converted from the decoded frame with the BT.709 matrix.
struct RgbPicture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  ///< RGB24, row-major
    std::array<int, 3> at(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 3;
        return {pixels[i], pixels[i + 1], pixels[i + 2]};
    }
    /// Mean of a square of side 2*radius+1 around (x, y).
    std::array<double, 3> mean_around(int x, int y, int radius) const;
};

/// Decodes every video frame in presentation order; `on_frame(index, picture)` is called
/// for the frames `wanted` says yes to. Returns the number of frames decoded.
std::int64_t decode_video(const std::filesystem::path& path,
                          const std::function<bool(std::int64_t)>& wanted,
                          const std::function<void(std::int64_t, const RgbPicture&)>& on_frame);

/// A content hash of every decoded frame's RGB pixels, in order (to compare two movies
/// picture by picture).
std::vector<std::string> decoded_frame_hashes(const std::filesystem::path& path);

/// Decodes the audio, mixed to mono, at its own rate (48 kHz for storyreel movies),
/// starting at presentation time 0 (priming removed as the container says).
std::vector<float> decode_audio_mono(const std::filesystem::path& path);

/// First sample at or after `from` where |x| exceeds `threshold`; -1 if none.
std::int64_t find_onset(const std::vector<float>& samples, std::int64_t from, float threshold);

}  // namespace storyreel::testing
