#pragma once
// Printable boards: a PDF worksheet of a unit's panels, N to a page (A4 or US Letter,
// landscape or portrait), each with its board, name, record timecode, hold and its dialogue
// and action set by Pango (so Cyrillic, CJK and right-to-left lines shape and wrap), a header
// with show, sequence, version and date, and page numbers. Text stays vector text; boards
// are embedded as the JPEGs given (at print resolution), not re-encoded.
//
// A page's header date is the date its content last changed (given per page), not the
// build's: a rebuild that changes one board changes one page, so the file can be updated
// rather than written again (report/pdf_update.h), and a printed page still matches it.

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::report {

enum class Paper { A4, Letter };
enum class Orientation { Landscape, Portrait };

struct BoardsPdfLayout {
    int panels_per_page = 6;
    Paper paper = Paper::A4;
    Orientation orientation = Orientation::Landscape;
    int dpi = 200;  ///< resolution boards are embedded at
    /// Fontconfig name; CJK falls back to Noto CJK (fonts-noto-cjk), Arabic and Hebrew are in
    /// DejaVu Sans itself.
    std::string font = "DejaVu Sans";
};

/// Columns and rows of panels on a page of `layout`.
struct PanelGrid {
    int columns = 1, rows = 1;
};
PanelGrid panel_grid(const BoardsPdfLayout& layout);

/// The size in pixels a board of aspect `width`:`height` is embedded at in a cell of `layout`.
struct PrintSize {
    int width = 0, height = 0;
};
PrintSize print_size(const BoardsPdfLayout& layout, int width, int height);

/// One panel on the worksheet.
struct PrintPanel {
    std::string name;  ///< "sq010/sh020/p003"
    std::string record_timecode;
    std::string hold;  ///< "36 fr / 1.50 s"
    std::string dialogue, action;
    std::string image_key;       ///< what the JPEG shows (its content key)
    std::filesystem::path jpeg;  ///< the board at print size (needed on pages drawn only)
    int width = 0, height = 0;   ///< of the JPEG
};

/// What the header says on every page.
struct PrintHeader {
    std::string show, sequence, version;
};

/// Pages a worksheet of `panels` panels has (at least one).
int page_count(std::size_t panels, const BoardsPdfLayout& layout);

/// What each page draws (its panels' text and images, the header, its number, the page
/// count, the layout), hashed: equal keys draw equal pages but for the header date.
std::vector<std::string> page_keys(const std::vector<PrintPanel>& panels, const PrintHeader& header,
                                   const BoardsPdfLayout& layout);

/// Writes the worksheet to `file` with Cairo; `dates[i]` is shown on page i + 1. Throws
/// BuildError naming the file on failure.
void write_boards_pdf(const std::filesystem::path& file, const std::vector<PrintPanel>& panels,
                      const PrintHeader& header, const BoardsPdfLayout& layout,
                      const std::vector<std::string>& dates);

/// A PDF in memory holding only pages `pages` (0-based, ascending) of the worksheet, drawn
/// as they are in it (numbers "Page N of M" included), for report/pdf_update.h. `file`
/// names the worksheet in errors.
std::string boards_pdf_pages(const std::filesystem::path& file,
                             const std::vector<PrintPanel>& panels, const PrintHeader& header,
                             const BoardsPdfLayout& layout, const std::vector<std::string>& dates,
                             const std::vector<int>& pages);

}  // namespace storyreel::report
