#pragma once
// A decoder for the PNGs storyboard tools write most (non-interlaced 8/16-bit RGB or grey,
// opaque): zlib inflates each row into one buffer (the stream's Adler-32 not computed;
// every chunk's CRC is checked) and the row is unfiltered here, in loops the compiler
// vectorises. libpng 1.6 as Debian builds it unfilters one byte at a time, which was
// over a third of `storyreel check`'s time on the feature-scale boards.

#include <cstdint>
#include <span>
#include <vector>

namespace storyreel {

/// Receives the decoded rows of a PlainPngReader, in order.
class PngRowSink {
  public:
    virtual ~PngRowSink() = default;
    /// Whether row `y` is wanted (every row is decoded; only wanted ones are handed over).
    virtual bool wants_row(int y) const = 0;
    /// A wanted row: width x channels samples, 8-bit, or 16-bit in native byte order.
    virtual void take_row(int y, const std::uint8_t* row) = 0;
};

/// Reads one PNG held in memory. It takes only what OpenImageIO reads unchanged and the
/// ingest stage passes through: colour type grey or RGB, 8 or 16 bits, not interlaced,
/// no tRNS or PLTE, no unknown critical chunk, a colour space OpenImageIO calls sRGB or a
/// non-linear gamma (the sRGB/gAMA rules of its 2.4 PNG reader), no text chunk naming a
/// colour space. Everything else, and any damage, is refused (false): read it another way.
class PlainPngReader {
  public:
    /// Checks the signature and the chunks before the image data; false when refused.
    bool open(std::span<const std::uint8_t> file);
    int width() const { return width_; }
    int height() const { return height_; }
    int channels() const { return channels_; }
    int bit_depth() const { return bit_depth_; }
    /// Decodes every row and hands the wanted ones to `sink`; false on damaged data.
    bool read_rows(PngRowSink& sink);

  private:
    bool read_chunks();
    bool take_header(std::span<const std::uint8_t> data);
    bool take_colour_chunk(const char* type, std::span<const std::uint8_t> data);
    bool colour_is_plain() const;

    std::span<const std::uint8_t> file_;
    std::size_t image_data_ = 0;  ///< offset of the first IDAT chunk
    int width_ = 0, height_ = 0, channels_ = 0, bit_depth_ = 0;
    bool has_srgb_ = false;
    std::uint32_t gamma_ = 0;  ///< gAMA value (file gamma x 100000); 0: none
};

}  // namespace storyreel
