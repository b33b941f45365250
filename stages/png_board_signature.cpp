#include "stages/png_board_signature.h"

#include <OpenImageIO/imageio.h>
#include <OpenImageIO/strutil.h>
#include <png.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <span>
#include <vector>

#include "media/plain_png_reader.h"
#include "stages/board_thumbnail.h"

// libpng reports errors by longjmp to the setjmp of the function that called it. The
// functions here that call setjmp keep no object with a destructor of their own: every
// buffer lives in the caller, so a jump skips nothing that must be released.

namespace storyreel {

namespace {

/// The whole file (boards are tens of kilobytes); empty when it cannot be read.
std::vector<std::uint8_t> file_bytes(const std::filesystem::path& file) {
    std::vector<std::uint8_t> bytes;
    std::ifstream in(file, std::ios::binary);
    if (!in) return bytes;
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size <= 0) return bytes;
    in.seekg(0);
    bytes.resize(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) bytes.clear();
    return bytes;
}

/// The part of a file libpng has not read yet.
struct MemorySource {
    std::span<const std::uint8_t> rest;
};

void read_from_memory(png_structp png, png_bytep out, png_size_t size) {
    auto* source = static_cast<MemorySource*>(png_get_io_ptr(png));
    if (source->rest.size() < size) png_error(png, "hit end of file");
    std::memcpy(out, source->rest.data(), size);
    source->rest = source->rest.subspan(size);
}

/// libpng's read and info structs, released together; errors jump, warnings are dropped
/// (a refused board is read again through OpenImageIO, which reports the problem).
class PngReadStructs {
  public:
    PngReadStructs()
        : png_(png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, fail, ignore)),
          info_(png_ ? png_create_info_struct(png_) : nullptr) {}
    ~PngReadStructs() {
        if (png_) png_destroy_read_struct(&png_, info_ ? &info_ : nullptr, nullptr);
    }
    PngReadStructs(const PngReadStructs&) = delete;
    PngReadStructs& operator=(const PngReadStructs&) = delete;

    bool ok() const { return png_ && info_; }
    png_structp png() const { return png_; }
    png_infop info() const { return info_; }

  private:
    static void fail(png_structp png, png_const_charp) { png_longjmp(png, 1); }
    static void ignore(png_structp, png_const_charp) {}

    png_structp png_;
    png_infop info_;
};

/// The decoded layout, after the expansions OpenImageIO asks libpng for.
struct PngLayout {
    int width = 0, height = 0;
    int channels = 0;   ///< 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA
    int bit_depth = 0;  ///< 8 or 16
    bool interlaced = false;
    bool linear = false;  ///< OpenImageIO would call it linear and colour-convert it
    std::size_t row_bytes = 0;
};

/// What OpenImageIO 2.4's PNG reader makes oiio:ColorSpace: "sRGB" with an sRGB chunk,
/// otherwise "linear" for a gAMA of 1.0 rounded to hundredths; a text chunk may set it too.
bool reads_as_linear(png_structp png, png_infop info) {
    int intent = 0;
    double gamma = 0;
    if (!png_get_sRGB(png, info, &intent) && png_get_gAMA(png, info, &gamma) && gamma > 0.0) {
        const float g = std::roundf(100.0f * static_cast<float>(1.0 / gamma)) / 100.0f;
        if (g == 1.0f) return true;
    }
    png_textp text = nullptr;
    const int count = png_get_text(png, info, &text, nullptr);
    for (int i = 0; i < count; ++i)
        if (OIIO::Strutil::icontains(text[i].key, "colorspace")) return true;
    return false;
}

/// Reads the header and sets up the transformations OpenImageIO's reader uses (palette and
/// low bit depths to 8 bits, transparency to alpha, 16-bit samples in native order).
bool read_layout(png_structp png, png_infop info, MemorySource& source, PngLayout& layout) {
    if (setjmp(png_jmpbuf(png))) return false;  // NOLINT(cert-err52-cpp)
    png_set_read_fn(png, &source, read_from_memory);
#ifdef PNG_IGNORE_ADLER32
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);
    png_set_expand(png);
    if constexpr (std::endian::native == std::endian::little) png_set_swap(png);
    layout.interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    if (layout.interlaced) png_set_interlace_handling(png);
    png_read_update_info(png, info);
    layout.width = static_cast<int>(png_get_image_width(png, info));
    layout.height = static_cast<int>(png_get_image_height(png, info));
    layout.channels = png_get_channels(png, info);
    layout.bit_depth = png_get_bit_depth(png, info);
    layout.row_bytes = png_get_rowbytes(png, info);
    layout.linear = reads_as_linear(png, info);
    return true;
}

/// Rows and scratch space for one board, sized before any libpng call that may jump.
struct RowBuffers {
    explicit RowBuffers(const PngLayout& layout)
        : rows((layout.interlaced ? layout.row_bytes * layout.height : layout.row_bytes) / 2 + 1),
          grey(layout.channels == 1 ? static_cast<std::size_t>(layout.width) * 4 : 0) {
        if (layout.interlaced)
            for (int y = 0; y < layout.height; ++y) pointers.push_back(row(layout, y));
    }
    png_bytep row(const PngLayout& layout, int y) {
        return reinterpret_cast<png_bytep>(rows.data()) +
               (layout.interlaced ? static_cast<std::size_t>(y) * layout.row_bytes : 0);
    }

    std::vector<std::uint16_t> rows;  ///< uint16_t: aligned for 16-bit samples
    std::vector<float> grey;          ///< a grey row as float, then as RGB
    std::vector<png_bytep> pointers;  ///< every row, for an interlaced image
};

/// Gives a decoded row to the sampler as the ingest stage would have it: RGB as its codes
/// (UINT8 or UINT16), grey as float RGB (OpenImageIO's conversion, then copied to three
/// channels; compositing over the background leaves opaque pixels as they are).
void add_row(BoardThumbnailSampler& sampler, const PngLayout& layout, int y, png_const_bytep row,
             std::vector<float>& grey) {
    const OIIO::TypeDesc type =
        layout.bit_depth == 16 ? OIIO::TypeDesc::UINT16 : OIIO::TypeDesc::UINT8;
    if (layout.channels == 3) {
        if (layout.bit_depth == 16)
            sampler.add_row(y, reinterpret_cast<const std::uint16_t*>(row), 3);
        else
            sampler.add_row(y, reinterpret_cast<const std::uint8_t*>(row), 3);
        return;
    }
    const std::size_t width = static_cast<std::size_t>(layout.width);
    float* values = grey.data();
    float* rgb = values + width;
    OIIO::convert_pixel_values(type, row, OIIO::TypeDesc::FLOAT, values, layout.width);
    for (std::size_t x = 0; x < width; ++x)
        rgb[3 * x] = rgb[3 * x + 1] = rgb[3 * x + 2] = values[x];
    sampler.add_row(y, rgb, 3);
}

/// Decodes every row (libpng must inflate them all) and copies out only the sampled ones.
bool sample_rows(png_structp png, const PngLayout& layout, RowBuffers& buffers,
                 BoardThumbnailSampler& sampler) {
    if (setjmp(png_jmpbuf(png))) return false;  // NOLINT(cert-err52-cpp)
    png_bytep row = buffers.row(layout, 0);
    for (int y = 0; y < layout.height; ++y) {
        const bool wanted = sampler.wants_row(y);
        png_read_row(png, wanted ? row : nullptr, nullptr);
        if (wanted) add_row(sampler, layout, y, row, buffers.grey);
    }
    return true;
}

/// An interlaced image is decoded whole (its passes each cover the whole picture), then
/// sampled; its end is read as OpenImageIO reads it.
bool sample_interlaced(png_structp png, png_infop info, const PngLayout& layout,
                       RowBuffers& buffers, BoardThumbnailSampler& sampler) {
    if (setjmp(png_jmpbuf(png))) return false;  // NOLINT(cert-err52-cpp)
    png_read_image(png, buffers.pointers.data());
    png_read_end(png, info);
    for (int y = 0; y < layout.height; ++y)
        if (sampler.wants_row(y)) add_row(sampler, layout, y, buffers.pointers[y], buffers.grey);
    return true;
}

/// Hands a PlainPngReader's rows to the sampler.
class SamplerSink : public PngRowSink {
  public:
    SamplerSink(BoardThumbnailSampler& sampler, const PngLayout& layout)
        : sampler_(sampler), layout_(layout), buffers_(layout) {}
    bool wants_row(int y) const override { return sampler_.wants_row(y); }
    void take_row(int y, const std::uint8_t* row) override {
        add_row(sampler_, layout_, y, row, buffers_.grey);
    }

  private:
    BoardThumbnailSampler& sampler_;
    const PngLayout& layout_;
    RowBuffers buffers_;
};

/// Through libpng: palette, low bit depths and interlacing too.
std::optional<BoardSignature> signature_through_libpng(std::span<const std::uint8_t> file,
                                                       const InputLimits& limits) {
    PngReadStructs structs;
    MemorySource source{file};
    PngLayout layout;
    if (!structs.ok() || !read_layout(structs.png(), structs.info(), source, layout))
        return std::nullopt;
    if ((layout.channels != 1 && layout.channels != 3) || layout.linear ||
        (layout.bit_depth != 8 && layout.bit_depth != 16) ||
        !board_size_problem(layout.width, layout.height, limits).empty())
        return std::nullopt;
    RowBuffers buffers(layout);
    BoardThumbnailSampler sampler(layout.width, layout.height);
    const bool read = layout.interlaced ? sample_interlaced(structs.png(), structs.info(), layout,
                                                            buffers, sampler)
                                        : sample_rows(structs.png(), layout, buffers, sampler);
    if (!read) return std::nullopt;
    return sampler.signature();
}

}  // namespace

std::optional<BoardSignature> png_board_signature(const std::filesystem::path& board,
                                                  const InputLimits& limits) {
    const std::vector<std::uint8_t> file = file_bytes(board);
    if (file.size() < 8 || png_sig_cmp(file.data(), 0, 8) != 0) return std::nullopt;
    PlainPngReader plain;
    if (!plain.open(file)) return signature_through_libpng(file, limits);
    if (!board_size_problem(plain.width(), plain.height(), limits).empty()) return std::nullopt;
    PngLayout layout;
    layout.width = plain.width();
    layout.height = plain.height();
    layout.channels = plain.channels();
    layout.bit_depth = plain.bit_depth();
    layout.row_bytes =
        static_cast<std::size_t>(layout.width) * layout.channels * (layout.bit_depth / 8);
    BoardThumbnailSampler sampler(layout.width, layout.height);
    SamplerSink sink(sampler, layout);
    if (!plain.read_rows(sink)) return signature_through_libpng(file, limits);
    return sampler.signature();
}

}  // namespace storyreel
