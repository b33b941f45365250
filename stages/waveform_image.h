#pragma once
// Draws a waveform overview: per pixel column the min/max of the samples it covers, a
// centre line, and vertical marks at given sample positions.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <utility>
#include <vector>

namespace storyreel {

struct WaveformStyle {
    int width = 1920;
    int height = 240;
};

/// Per column of a `width`-column overview of `count` stereo samples (fetched through
/// `read(start, n, out)`): the lowest and highest sample it covers, both channels.
std::vector<std::pair<float, float>> waveform_columns(
    std::int64_t count, int width, const std::function<void(std::int64_t, int, float*)>& read);

/// Renders `count` stereo samples (fetched through `read(start, n, out)`, start from 0)
/// with a mark at each of `marks` (sample positions), and writes an 8-bit RGB PNG to
/// `file` with OpenImageIO. Throws BuildError naming the file on failure.
void write_waveform_png(const std::filesystem::path& file, std::int64_t count,
                        const std::function<void(std::int64_t, int, float*)>& read,
                        const std::vector<std::int64_t>& marks, const WaveformStyle& style);

}  // namespace storyreel
