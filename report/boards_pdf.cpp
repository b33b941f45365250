#include "report/boards_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <memory>

#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"

namespace storyreel::report {

namespace {

constexpr double kMillimetre = 72.0 / 25.4;
constexpr double kMargin = 10 * kMillimetre;
constexpr double kHeaderHeight = 9 * kMillimetre;
constexpr double kFooterHeight = 6 * kMillimetre;
constexpr double kGap = 4 * kMillimetre;
constexpr double kTextShare = 0.38;  ///< of a cell's height, under the board

struct PageSize {
    double width, height;  ///< points
};

PageSize page_size(const BoardsPdfLayout& layout) {
    const PageSize portrait =
        layout.paper == Paper::A4 ? PageSize{595.276, 841.890} : PageSize{612.0, 792.0};
    return layout.orientation == Orientation::Portrait ? portrait
                                                       : PageSize{portrait.height, portrait.width};
}

struct Cell {
    double width, height;
};

Cell cell_size(const BoardsPdfLayout& layout) {
    const PageSize page = page_size(layout);
    const PanelGrid grid = panel_grid(layout);
    return {(page.width - 2 * kMargin - (grid.columns - 1) * kGap) / grid.columns,
            (page.height - 2 * kMargin - kHeaderHeight - kFooterHeight - (grid.rows - 1) * kGap) /
                grid.rows};
}

/// The board's box in a cell (points): as wide as the cell, or as tall as its image share.
Cell board_box(const Cell& cell, int width, int height) {
    const double aspect = height > 0 ? static_cast<double>(width) / height : 16.0 / 9.0;
    double box_width = cell.width, box_height = cell.width / aspect;
    const double limit = cell.height * (1 - kTextShare);
    if (box_height > limit) {
        box_height = limit;
        box_width = limit * aspect;
    }
    return {box_width, box_height};
}

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* object) const { Free(object); }
};
using Surface = std::unique_ptr<cairo_surface_t, Deleter<cairo_surface_t, cairo_surface_destroy>>;
using Context = std::unique_ptr<cairo_t, Deleter<cairo_t, cairo_destroy>>;
void unref_layout(PangoLayout* layout) { g_object_unref(layout); }
using Layout = std::unique_ptr<PangoLayout, Deleter<PangoLayout, unref_layout>>;
using Font = std::unique_ptr<PangoFontDescription,
                             Deleter<PangoFontDescription, pango_font_description_free>>;

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
    throw BuildError({{file.string(), 0, 0},
                      "boards PDF",
                      what,
                      "check free space and permissions in the output folder"});
}

/// Draws `text` at (x, y), `width` wide, at most `height` tall (ellipsised); returns its height.
double draw_text(cairo_t* cairo, const Font& font, const std::string& text, double x, double y,
                 double width, double height, bool bold = false) {
    if (text.empty() || height <= 0) return 0;
    Layout layout(pango_cairo_create_layout(cairo));
    Font face(pango_font_description_copy(font.get()));
    if (bold) pango_font_description_set_weight(face.get(), PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout.get(), face.get());
    pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_height(layout.get(), static_cast<int>(height * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    pango_layout_set_auto_dir(layout.get(), TRUE);  // right-to-left lines align right
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    cairo_move_to(cairo, x, y);
    pango_cairo_show_layout(cairo, layout.get());
    int text_width = 0, text_height = 0;
    pango_layout_get_size(layout.get(), &text_width, &text_height);
    return std::min(height, static_cast<double>(text_height) / PANGO_SCALE);
}

/// The board as an image surface carrying its JPEG bytes, which the PDF embeds as they are.
/// Its pixels are never read (Cairo takes the JPEG): every surface shares `blank`, which
/// lives until the PDF is finished, instead of each clearing a megabyte of its own.
Surface jpeg_surface(const PrintPanel& panel, const std::filesystem::path& file,
                     std::vector<unsigned char>& blank) {
    std::ifstream in(panel.jpeg, std::ios::binary);
    auto* bytes =
        new std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (bytes->empty()) {
        delete bytes;
        fail(file, "cannot read the board image " + panel.jpeg.string());
    }
    const int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, panel.width);
    Surface surface(cairo_image_surface_create_for_data(blank.data(), CAIRO_FORMAT_RGB24,
                                                        panel.width, panel.height, stride));
    const auto status = cairo_surface_set_mime_data(
        surface.get(), CAIRO_MIME_TYPE_JPEG, reinterpret_cast<const unsigned char*>(bytes->data()),
        bytes->size(), [](void* data) { delete static_cast<std::string*>(data); }, bytes);
    if (status != CAIRO_STATUS_SUCCESS) {
        delete bytes;
        fail(file, std::string("cannot embed ") + panel.jpeg.string() + ": " +
                       cairo_status_to_string(status));
    }
    return surface;
}

void draw_panel(cairo_t* cairo, const Font& font, const PrintPanel& panel, double x, double y,
                const Cell& cell, const std::filesystem::path& file,
                std::vector<unsigned char>& blank) {
    const Cell box = board_box(cell, panel.width, panel.height);
    const Surface image = jpeg_surface(panel, file, blank);
    cairo_save(cairo);
    cairo_translate(cairo, x, y);
    cairo_scale(cairo, box.width / panel.width, box.height / panel.height);
    cairo_set_source_surface(cairo, image.get(), 0, 0);
    cairo_paint(cairo);
    cairo_restore(cairo);
    cairo_set_source_rgb(cairo, 0.3, 0.3, 0.3);
    cairo_set_line_width(cairo, 0.5);
    cairo_rectangle(cairo, x, y, box.width, box.height);
    cairo_stroke(cairo);
    cairo_set_source_rgb(cairo, 0, 0, 0);
    double at = y + box.height + 2;
    const double bottom = y + cell.height;
    at += draw_text(cairo, font, panel.name, x, at, box.width, bottom - at, true);
    at += draw_text(cairo, font, panel.record_timecode + "   " + panel.hold, x, at, box.width,
                    bottom - at);
    if (!panel.dialogue.empty())
        at += draw_text(cairo, font, panel.dialogue, x, at + 1, box.width, bottom - at - 1);
    if (!panel.action.empty()) {
        cairo_set_source_rgb(cairo, 0.35, 0.35, 0.35);
        draw_text(cairo, font, panel.action, x, at + 1, box.width, bottom - at - 1);
    }
}

void draw_page_frame(cairo_t* cairo, const Font& font, const PrintHeader& header,
                     const PageSize& page, int number, int pages, const std::string& date) {
    cairo_set_source_rgb(cairo, 0, 0, 0);
    const double width = page.width - 2 * kMargin;
    draw_text(cairo, font, header.show + "  ·  " + header.sequence, kMargin, kMargin, width / 2,
              kHeaderHeight, true);
    const std::string right = header.version + "  ·  updated " + date;
    Layout probe(pango_cairo_create_layout(cairo));
    pango_layout_set_font_description(probe.get(), font.get());
    pango_layout_set_text(probe.get(), right.c_str(), -1);
    int text_width = 0, text_height = 0;
    pango_layout_get_size(probe.get(), &text_width, &text_height);
    draw_text(cairo, font, right,
              page.width - kMargin - static_cast<double>(text_width) / PANGO_SCALE, kMargin,
              width / 2, kHeaderHeight);
    cairo_set_line_width(cairo, 0.5);
    cairo_move_to(cairo, kMargin, kMargin + kHeaderHeight - 2);
    cairo_line_to(cairo, page.width - kMargin, kMargin + kHeaderHeight - 2);
    cairo_stroke(cairo);
    const std::string footer = "Page " + std::to_string(number) + " of " + std::to_string(pages);
    draw_text(cairo, font, footer, kMargin, page.height - kMargin - kFooterHeight + 4, width,
              kFooterHeight);
}

/// Draws pages `pages` (0-based) of the worksheet on `surface` and finishes it.
void draw_pages(cairo_surface_t* surface, const std::filesystem::path& file,
                const std::vector<PrintPanel>& panels, const PrintHeader& header,
                const BoardsPdfLayout& layout, const std::vector<std::string>& dates,
                const std::vector<int>& pages) {
    const PageSize page = page_size(layout);
    const PanelGrid grid = panel_grid(layout);
    const Cell cell = cell_size(layout);
    const int per_page = std::max(1, layout.panels_per_page);
    const int count = page_count(panels.size(), layout);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   (header.show + " " + header.sequence + " boards").c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "storyreel");
    std::size_t largest = 0;  // the pixels of the largest board: every board's blank
    for (const auto& panel : panels)
        largest = std::max(largest, static_cast<std::size_t>(cairo_format_stride_for_width(
                                        CAIRO_FORMAT_RGB24, panel.width)) *
                                        static_cast<std::size_t>(std::max(0, panel.height)));
    std::vector<unsigned char> blank(largest);  // outlives every image surface (finished below)
    Context cairo(cairo_create(surface));
    Font font(pango_font_description_from_string((layout.font + " 7.5").c_str()));
    for (const int index : pages) {
        const std::string& date = dates.at(static_cast<std::size_t>(index));
        draw_page_frame(cairo.get(), font, header, page, index + 1, count, date);
        for (int slot = 0; slot < per_page; ++slot) {
            const std::size_t at = static_cast<std::size_t>(index * per_page + slot);
            if (at >= panels.size()) break;
            const int column = slot % grid.columns, row = slot / grid.columns;
            draw_panel(cairo.get(), font, panels[at], kMargin + column * (cell.width + kGap),
                       kMargin + kHeaderHeight + row * (cell.height + kGap), cell, file, blank);
        }
        cairo_show_page(cairo.get());
    }
    cairo.reset();
    cairo_surface_finish(surface);
    if (const auto status = cairo_surface_status(surface); status != CAIRO_STATUS_SUCCESS)
        fail(file, std::string("cannot write the PDF: ") + cairo_status_to_string(status));
}

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

PanelGrid panel_grid(const BoardsPdfLayout& layout) {
    const int n = std::max(1, layout.panels_per_page);
    const double shape = layout.orientation == Orientation::Landscape ? 1.5 : 1.0 / 1.5;
    const int columns = std::clamp(static_cast<int>(std::lround(std::sqrt(n * shape))), 1, n);
    return {columns, (n + columns - 1) / columns};
}

PrintSize print_size(const BoardsPdfLayout& layout, int width, int height) {
    const Cell box = board_box(cell_size(layout), width, height);
    const int print_width =
        std::max(16, static_cast<int>(std::lround(box.width / 72.0 * layout.dpi)));
    return {print_width,
            std::max(9, static_cast<int>(std::lround(print_width * static_cast<double>(height) /
                                                     std::max(1, width))))};
}

int page_count(std::size_t panels, const BoardsPdfLayout& layout) {
    const std::size_t per_page = static_cast<std::size_t>(std::max(1, layout.panels_per_page));
    return std::max(1, static_cast<int>((panels + per_page - 1) / per_page));
}

std::vector<std::string> page_keys(const std::vector<PrintPanel>& panels, const PrintHeader& header,
                                   const BoardsPdfLayout& layout) {
    const int count = page_count(panels.size(), layout);
    const std::size_t per_page = static_cast<std::size_t>(std::max(1, layout.panels_per_page));
    std::vector<std::string> keys;
    for (int index = 0; index < count; ++index) {
        ContentHasher hasher;
        hasher.add("boards page v1").add(static_cast<long long>(layout.paper));
        hasher.add(static_cast<long long>(layout.orientation)).add(layout.panels_per_page);
        hasher.add(layout.dpi).add(layout.font).add(header.show).add(header.sequence);
        hasher.add(header.version).add(index).add(count);
        for (std::size_t at = index * per_page;
             at < std::min(panels.size(), (index + 1) * per_page); ++at) {
            const PrintPanel& panel = panels[at];
            hasher.add(panel.name).add(panel.record_timecode).add(panel.hold).add(panel.dialogue);
            hasher.add(panel.action).add(panel.image_key).add(panel.width).add(panel.height);
        }
        keys.push_back(hasher.digest());
    }
    return keys;
}

void write_boards_pdf(const std::filesystem::path& file, const std::vector<PrintPanel>& panels,
                      const PrintHeader& header, const BoardsPdfLayout& layout,
                      const std::vector<std::string>& dates) {
    const PageSize page = page_size(layout);
    std::vector<int> pages(static_cast<std::size_t>(page_count(panels.size(), layout)));
    for (std::size_t i = 0; i < pages.size(); ++i) pages[i] = static_cast<int>(i);
    Surface surface(cairo_pdf_surface_create(file.c_str(), page.width, page.height));
    draw_pages(surface.get(), file, panels, header, layout, dates, pages);
}

std::string boards_pdf_pages(const std::filesystem::path& file,
                             const std::vector<PrintPanel>& panels, const PrintHeader& header,
                             const BoardsPdfLayout& layout, const std::vector<std::string>& dates,
                             const std::vector<int>& pages) {
    const PageSize page = page_size(layout);
    std::string bytes;
    Surface surface(
        cairo_pdf_surface_create_for_stream(append_to_string, &bytes, page.width, page.height));
    draw_pages(surface.get(), file, panels, header, layout, dates, pages);
    return bytes;
}

}  // namespace storyreel::report
