#include "demo/board_file.h"

#include <OpenImageIO/imagebufalgo.h>

#include <array>
#include <stdexcept>

namespace storyreel::demo {

namespace {

/// libpng's PNG_FILTER_UP: each row is stored as its difference to the row above.
constexpr int kPngFilterUp = 0x20;

/// The varied cycle; a width or height of 0 means "the show resolution".
constexpr std::array<BoardLayout, 7> kVariedCycle{{
    {BoardFormat::Png8, 0, 0},
    {BoardFormat::Png16, 2048, 858},
    {BoardFormat::Jpeg, 1280, 720},
    {BoardFormat::Tiff8, 1000, 1000},
    {BoardFormat::ExrLinearHalf, 1920, 1080},
    {BoardFormat::Png8Alpha, 1600, 900},
    {BoardFormat::Png8, 1023, 767},
}};

/// How the drawing is stored while it is drawn (before any conversion for the file).
BoardCanvasSpec canvas_for(const BoardLayout& layout) {
    BoardCanvasSpec canvas;
    canvas.width = layout.width;
    canvas.height = layout.height;
    switch (layout.format) {
        case BoardFormat::Png16:
            canvas.pixel_type = OIIO::TypeDesc::UINT16;
            break;
        case BoardFormat::ExrLinearHalf:
            canvas.pixel_type = OIIO::TypeDesc::FLOAT;
            break;
        default:
            canvas.pixel_type = OIIO::TypeDesc::UINT8;
            break;
    }
    canvas.transparent_margin = layout.format == BoardFormat::Png8Alpha;
    return canvas;
}

/// The pixel type written to the file.
OIIO::TypeDesc file_pixel_type(BoardFormat format) {
    switch (format) {
        case BoardFormat::Png16:
            return OIIO::TypeDesc::UINT16;
        case BoardFormat::ExrLinearHalf:
            return OIIO::TypeDesc::HALF;
        default:
            return OIIO::TypeDesc::UINT8;
    }
}

void set_file_attributes(OIIO::ImageSpec& spec, const BoardLayout& layout,
                         const BoardContent& content) {
    spec.attribute("Software", "storyreel demo");
    spec.attribute("ImageDescription", "storyboard " + content.label);
    switch (layout.format) {
        case BoardFormat::Jpeg:
            spec.attribute("Compression", "jpeg:90");
            break;
        // zlib level 3 with the "up" filter writes a 1080p board in about a fifth of the
        // time of the defaults (level 6, adaptive filters) for files under twice the size:
        // benchmarks write thousands of boards.
        case BoardFormat::Png8:
        case BoardFormat::Png16:
        case BoardFormat::Png8Alpha:
            spec.attribute("png:compressionLevel", 3);
            spec.attribute("png:filter", kPngFilterUp);
            break;
        case BoardFormat::Tiff8:
            spec.attribute("Compression", "zip");
            break;
        case BoardFormat::ExrLinearHalf:
            spec.attribute("Compression", "zip");
            spec.attribute("oiio:ColorSpace", "linear");
            break;
    }
}

}  // namespace

std::string board_extension(BoardFormat format) {
    switch (format) {
        case BoardFormat::Jpeg:
            return ".jpg";
        case BoardFormat::Tiff8:
            return ".tif";
        case BoardFormat::ExrLinearHalf:
            return ".exr";
        default:
            return ".png";
    }
}

std::string board_format_name(BoardFormat format) {
    switch (format) {
        case BoardFormat::Png8:
            return "8-bit PNG";
        case BoardFormat::Png16:
            return "16-bit PNG";
        case BoardFormat::Png8Alpha:
            return "8-bit RGBA PNG";
        case BoardFormat::Jpeg:
            return "JPEG";
        case BoardFormat::Tiff8:
            return "8-bit TIFF";
        case BoardFormat::ExrLinearHalf:
            return "linear half-float EXR";
    }
    return "unknown board format";
}

BoardLayout board_layout_for(int panel_index, bool varied_formats, int show_width,
                             int show_height) {
    if (!varied_formats) return {BoardFormat::Png8, show_width, show_height};
    BoardLayout layout = kVariedCycle[static_cast<std::size_t>(panel_index) % kVariedCycle.size()];
    if (layout.width == 0) {
        layout.width = show_width;
        layout.height = show_height;
    }
    return layout;
}

void write_board_file(const std::filesystem::path& file, const BoardContent& content,
                      const BoardLayout& layout) {
    const auto failure = [&](const std::string& what) {
        return std::runtime_error(
            "writing demo board " + file.string() + " (" + board_format_name(layout.format) + " " +
            std::to_string(layout.width) + "x" + std::to_string(layout.height) + "): " + what);
    };
    OIIO::ImageBuf image;
    try {
        image = draw_board(content, canvas_for(layout));
    } catch (const std::exception& error) {
        throw failure(error.what());
    }
    if (layout.format == BoardFormat::ExrLinearHalf) {
        OIIO::ImageBuf linear;
        if (!OIIO::ImageBufAlgo::colorconvert(linear, image, "sRGB", "linear", true, "", "",
                                              nullptr, {}, 1))
            throw failure("sRGB to linear conversion failed: " + linear.geterror());
        image = std::move(linear);
    }
    set_file_attributes(image.specmod(), layout, content);
    if (!image.write(file.string(), file_pixel_type(layout.format)))
        throw failure(image.geterror());
}

}  // namespace storyreel::demo
