#pragma once
// The review page's thumbnails and the printable boards' images: a conformed board (already
// in memory, never re-read) reduced to a card's or a print cell's width (box_reduction.h)
// and written as a JPEG with OpenImageIO.

#include <filesystem>

#include "stages/box_reduction.h"

namespace storyreel {

struct ThumbnailSettings {
    int width = 320;   ///< pixels; the height follows the board's aspect
    int quality = 80;  ///< JPEG quality 1..100
};

/// The thumbnail's size for a `width` x `height` board.
struct ThumbnailSize {
    int width = 0, height = 0;
};
ThumbnailSize thumbnail_size(int width, int height, const ThumbnailSettings& settings);

/// Writes `image` as an 8-bit sRGB JPEG of `quality` at `file`. Throws BuildError naming the
/// file on failure.
void write_jpeg(const Rgb8Image& image, const std::filesystem::path& file, int quality);

}  // namespace storyreel
