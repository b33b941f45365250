#pragma once
// The review page's thumbnails: a conformed board (already in memory, never re-read)
// scaled to a card's width and written as a JPEG of a few tens of KB with OpenImageIO.

#include <OpenImageIO/imagebuf.h>

#include <filesystem>

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

/// Scales `board` (RGB, UINT16 or float, display-referred) and writes an 8-bit sRGB JPEG at
/// `file`, one thread (we run inside TBB). Throws BuildError naming the file on failure.
ThumbnailSize write_thumbnail_jpeg(const OIIO::ImageBuf& board, const std::filesystem::path& file,
                                   const ThumbnailSettings& settings);

}  // namespace storyreel
