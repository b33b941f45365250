#pragma once
// Drawing one storyboard panel: paper, frame, a pencil sketch, a big label and the
// central colour block that identifies the panel in tests.

#include <OpenImageIO/imagebuf.h>

#include <array>
#include <cstdint>
#include <string>

namespace storyreel::demo {

/// What is drawn on one board. Everything a board shows comes from here, so boards can
/// be drawn independently and in any order.
struct BoardContent {
    std::string label;                  ///< the big title, e.g. "sq010 sh020 p003"
    std::string caption;                ///< a line of dialogue under the sketch; may be empty
    std::array<float, 3> block_colour;  ///< sRGB display colour of the central block
    std::uint64_t sketch_seed = 0;      ///< places the sketched shapes
};

/// How the board is laid out in pixels.
struct BoardCanvasSpec {
    int width = 1920;
    int height = 1080;
    OIIO::TypeDesc pixel_type = OIIO::TypeDesc::UINT8;  ///< storage of the drawing
    /// Adds an alpha channel: the paper's outer margin is fully transparent and the band
    /// next to it half transparent; the frame and everything inside it are opaque.
    /// Pixels are stored premultiplied, as OIIO expects.
    bool transparent_margin = false;
};

/// The central block covers this fraction of the board's width and height, centred.
/// Its middle is a flat fill of BoardContent::block_colour, with no strokes across it.
inline constexpr float kBoardBlockFraction = 0.3f;

/// Draws a board in display-referred sRGB. Throws std::runtime_error when OIIO fails.
OIIO::ImageBuf draw_board(const BoardContent& content, const BoardCanvasSpec& canvas);

}  // namespace storyreel::demo
