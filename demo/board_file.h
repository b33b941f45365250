#pragma once
// Board files on disk: which format and size each demo board uses, and writing them.

#include <filesystem>
#include <string>

#include "demo/board_drawing.h"

namespace storyreel::demo {

/// The file formats demo boards are written in. Each one exercises a different path of
/// the board reader (bit depth, alpha, lossy, linear light).
enum class BoardFormat {
    Png8,           ///< 8-bit RGB PNG
    Png16,          ///< 16-bit RGB PNG
    Png8Alpha,      ///< 8-bit RGBA PNG, transparent margin, opaque inside the frame
    Jpeg,           ///< 8-bit JPEG, quality 90
    Tiff8,          ///< 8-bit RGB TIFF
    ExrLinearHalf,  ///< half-float OpenEXR holding linear light (sRGB drawing linearised)
};

/// The format and size of one board file.
struct BoardLayout {
    BoardFormat format = BoardFormat::Png8;
    int width = 1920;
    int height = 1080;
};

/// File name extension with the dot, e.g. ".png".
std::string board_extension(BoardFormat format);

/// A readable name for messages and tests, e.g. "16-bit PNG".
std::string board_format_name(BoardFormat format);

/// The layout of the `panel_index`-th board of a project. Without variety: 8-bit PNG at
/// the show resolution. With variety, cycling through: 8-bit PNG at the show resolution,
/// 16-bit PNG 2048x858 (2.39:1), JPEG 1280x720, TIFF 1000x1000, EXR 1920x1080, RGBA PNG
/// 1600x900, 8-bit PNG 1023x767 (odd size).
BoardLayout board_layout_for(int panel_index, bool varied_formats, int show_width, int show_height);

/// Draws a board and writes it to `file` in `layout`'s format. Throws std::runtime_error
/// naming the file when drawing or writing fails.
void write_board_file(const std::filesystem::path& file, const BoardContent& content,
                      const BoardLayout& layout);

}  // namespace storyreel::demo
