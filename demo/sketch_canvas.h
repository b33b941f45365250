#pragma once
// A pen on an OpenImageIO ImageBuf: the few drawing strokes a storyboard needs.
//
// Shared rules: coordinates are pixels, (0,0) top left; colours are display RGB in 0..1
// and are painted opaque (alpha 1 when the image has an alpha channel). Every stroke runs
// single-threaded (nthreads = 1) because callers draw many boards in parallel. A failed
// OIIO call throws std::runtime_error naming the stroke and OIIO's message.

#include <OpenImageIO/imagebuf.h>

#include <array>
#include <string>

namespace storyreel::demo {

using Rgb = std::array<float, 3>;

class SketchCanvas {
  public:
    /// Wraps `image` (RGB or RGBA, already allocated); strokes of `pen_width` pixels.
    SketchCanvas(OIIO::ImageBuf& image, int pen_width);

    int width() const { return image_.spec().width; }
    int height() const { return image_.spec().height; }
    int pen_width() const { return pen_width_; }

    /// Fills the rectangle [x0, x1) x [y0, y1) (clipped to the image) with a flat colour.
    void fill_rect(int x0, int y0, int x1, int y1, const Rgb& colour);
    /// Draws the outline of [x0, x1) x [y0, y1), `thickness` pixels wide, inside the
    /// rectangle.
    void outline_rect(int x0, int y0, int x1, int y1, const Rgb& colour, int thickness);
    /// Draws a straight stroke of pen width between two points.
    void line(int x0, int y0, int x1, int y1, const Rgb& colour);
    /// Draws a circle outline as a closed polyline.
    void circle(int centre_x, int centre_y, int radius, const Rgb& colour);
    /// Writes one line of `text` centred on (centre_x, centre_y), `font_size` pixels high,
    /// in kBoardFontFile, or in OIIO's default font when that file is not installed.
    void centred_text(int centre_x, int centre_y, const std::string& text, int font_size,
                      const Rgb& colour);

    /// The largest font size (at most `wanted`) at which `text` fits in `max_width` pixels.
    int fitting_font_size(const std::string& text, int wanted, int max_width) const;

  private:
    void check(bool ok, const char* stroke) const;

    OIIO::ImageBuf& image_;
    int pen_width_;
    std::string font_;  ///< font file path, or "" for OIIO's default font
};

/// The font used for board labels: DejaVu Sans Bold (Debian: fonts-dejavu-core).
inline constexpr const char* kBoardFontFile =
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

}  // namespace storyreel::demo
