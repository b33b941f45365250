#pragma once
// Scaling a board down for the review page and the printable boards: every output pixel the
// exact mean of the board area it covers (a box filter with area weights), from the 16-bit
// conformed frame straight to 8-bit, in one pass over the frame.
//
// OIIO's generic resize() (even with its box filter) evaluates a filter per output pixel in
// float and keeps a float image between the scale and the 8-bit conversion: ~60 ms of CPU
// per 1080p board for our two sizes. Here the weights are integers (the overlap of an input
// pixel with an output pixel, in units of 1/(output size) of an input pixel), the rows are
// summed first (contiguous 16-bit rows, which the compiler vectorises) and each output row
// is then reduced across: a few milliseconds a board. Averages are taken on the coded
// (display-referred) values, as OIIO's resize does.

#include <OpenImageIO/imagebuf.h>

#include <cstdint>
#include <vector>

namespace storyreel {

/// An 8-bit RGB image, rows packed (width * 3 bytes each).
struct Rgb8Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;
};

/// `board` (RGB or more channels, any pixel type; the first three channels are used)
/// reduced to `width` x `height` (each at most the board's) as 8-bit codes: 16-bit codes
/// map to 8-bit as v / 257, rounded. Boards that are not UINT16 are converted first.
Rgb8Image box_reduce_to_rgb8(const OIIO::ImageBuf& board, int width, int height);

/// An 8-bit image reduced the same way (the thumbnail from the print-size board).
Rgb8Image box_reduce(const Rgb8Image& image, int width, int height);

}  // namespace storyreel
