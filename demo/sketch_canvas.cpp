#include "demo/sketch_canvas.h"

#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace storyreel::demo {

namespace {

namespace IBA = OIIO::ImageBufAlgo;

constexpr int kSingleThread = 1;

/// Writes a flat colour row by row into the image's own memory. OIIO 2.4's
/// ImageBufAlgo::fill visits every pixel through its generic iterator (about 20 ms for
/// one 1080p fill here), which alone would use half of a board's time budget; this takes
/// about 1 ms and rounds exactly like OIIO (convert_type).
template <typename T>
void fill_rows(OIIO::ImageBuf& image, const OIIO::ROI& area, const float* values) {
    const int channels = image.nchannels();
    std::vector<T> row(static_cast<std::size_t>(area.width()) * channels);
    for (std::size_t i = 0; i < row.size(); ++i)
        row[i] = OIIO::convert_type<float, T>(values[i % channels]);
    for (int y = area.ybegin; y < area.yend; ++y)
        std::memcpy(image.pixeladdr(area.xbegin, y), row.data(), row.size() * sizeof(T));
}

/// The colour with an opaque alpha, for RGB and RGBA images alike (the span passed to
/// OIIO is cut to the image's channel count).
std::array<float, 4> paint(const Rgb& colour) { return {colour[0], colour[1], colour[2], 1.f}; }

std::string usable_font(const char* wanted) {
    std::error_code error;
    return std::filesystem::is_regular_file(wanted, error) ? std::string(wanted) : std::string();
}

}  // namespace

SketchCanvas::SketchCanvas(OIIO::ImageBuf& image, int pen_width)
    : image_(image), pen_width_(std::max(1, pen_width)), font_(usable_font(kBoardFontFile)) {
    const int channels = image_.spec().nchannels;
    if (!image_.initialized() || (channels != 3 && channels != 4))
        throw std::invalid_argument("SketchCanvas needs an allocated RGB or RGBA image");
}

void SketchCanvas::check(bool ok, const char* stroke) const {
    if (!ok)
        throw std::runtime_error(std::string("drawing a board: ") + stroke +
                                 " failed: " + image_.geterror());
}

void SketchCanvas::fill_rect(int x0, int y0, int x1, int y1, const Rgb& colour) {
    const OIIO::ROI area = OIIO::roi_intersection(OIIO::ROI(x0, x1, y0, y1), image_.roi());
    if (area.width() <= 0 || area.height() <= 0) return;
    const auto ink = paint(colour);
    if (image_.storage() == OIIO::ImageBuf::LOCALBUFFER) {
        switch (image_.spec().format.basetype) {
            case OIIO::TypeDesc::UINT8:
                return fill_rows<std::uint8_t>(image_, area, ink.data());
            case OIIO::TypeDesc::UINT16:
                return fill_rows<std::uint16_t>(image_, area, ink.data());
            case OIIO::TypeDesc::FLOAT:
                return fill_rows<float>(image_, area, ink.data());
            default:
                break;
        }
    }
    check(
        IBA::fill(image_, OIIO::cspan<float>(ink.data(), image_.nchannels()), area, kSingleThread),
        "fill");
}

void SketchCanvas::outline_rect(int x0, int y0, int x1, int y1, const Rgb& colour, int thickness) {
    const int pen = std::max(1, thickness);
    fill_rect(x0, y0, x1, y0 + pen, colour);
    fill_rect(x0, y1 - pen, x1, y1, colour);
    fill_rect(x0, y0, x0 + pen, y1, colour);
    fill_rect(x1 - pen, y0, x1, y1, colour);
}

void SketchCanvas::line(int x0, int y0, int x1, int y1, const Rgb& colour) {
    const auto ink = paint(colour);
    const OIIO::cspan<float> span(ink.data(), image_.nchannels());
    // A thick stroke is pen_width one-pixel lines, side by side across the minor axis.
    const bool mostly_horizontal = std::abs(x1 - x0) >= std::abs(y1 - y0);
    for (int offset = -pen_width_ / 2; offset < pen_width_ - pen_width_ / 2; ++offset) {
        const int dx = mostly_horizontal ? 0 : offset;
        const int dy = mostly_horizontal ? offset : 0;
        check(IBA::render_line(image_, x0 + dx, y0 + dy, x1 + dx, y1 + dy, span, false, {},
                               kSingleThread),
              "render_line");
    }
}

void SketchCanvas::circle(int centre_x, int centre_y, int radius, const Rgb& colour) {
    const int segments = std::clamp(radius / 2, 24, 96);
    int previous_x = centre_x + radius;
    int previous_y = centre_y;
    for (int i = 1; i <= segments; ++i) {
        const double angle = 2.0 * std::numbers::pi * i / segments;
        const int x = centre_x + static_cast<int>(std::lround(radius * std::cos(angle)));
        const int y = centre_y + static_cast<int>(std::lround(radius * std::sin(angle)));
        line(previous_x, previous_y, x, y, colour);
        previous_x = x;
        previous_y = y;
    }
}

void SketchCanvas::centred_text(int centre_x, int centre_y, const std::string& text, int font_size,
                                const Rgb& colour) {
    const auto ink = paint(colour);
    check(IBA::render_text(image_, centre_x, centre_y, text, font_size, font_,
                           OIIO::cspan<float>(ink.data(), image_.nchannels()),
                           IBA::TextAlignX::Center, IBA::TextAlignY::Center, 0, {}, kSingleThread),
          font_.empty() ? "render_text with OIIO's default font (DejaVu Sans Bold not found: "
                          "install fonts-dejavu-core)"
                        : "render_text");
}

int SketchCanvas::fitting_font_size(const std::string& text, int wanted, int max_width) const {
    constexpr int kMeasuringSize = 100;
    const OIIO::ROI size = IBA::text_size(text, kMeasuringSize, font_);
    if (!size.defined() || size.width() <= 0) return wanted;  // render_text will report it
    const int fitting = max_width * kMeasuringSize / size.width();
    return std::max(1, std::min(wanted, fitting));
}

}  // namespace storyreel::demo
