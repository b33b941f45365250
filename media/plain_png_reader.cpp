#include "media/plain_png_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace storyreel {

namespace {

constexpr std::uint8_t kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

std::uint32_t big_endian_32(const std::uint8_t* bytes) {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | bytes[3];
}

/// One chunk of a PNG: its type and data, the CRC already checked.
struct Chunk {
    std::string_view type;
    std::span<const std::uint8_t> data;
};

/// The chunk at `offset` (moved past it); false when it runs past the file or its CRC is wrong.
bool next_chunk(std::span<const std::uint8_t> file, std::size_t& offset, Chunk& chunk) {
    if (file.size() < 12 || offset > file.size() - 12) return false;
    const std::uint32_t length = big_endian_32(&file[offset]);
    if (length > 0x7fffffffu || file.size() - offset - 12 < length) return false;
    const std::uint8_t* typed = &file[offset + 4];
    const std::uint32_t crc = big_endian_32(typed + 4 + length);
    if (crc32(crc32(0, nullptr, 0), typed, length + 4) != crc) return false;
    chunk.type = std::string_view(reinterpret_cast<const char*>(typed), 4);
    chunk.data = file.subspan(offset + 8, length);
    offset += 12 + std::size_t{length};
    return true;
}

bool is_critical(std::string_view type) { return type[0] >= 'A' && type[0] <= 'Z'; }

/// A text chunk's keyword (up to its NUL) names a colour space: OpenImageIO would take it
/// as an attribute, possibly oiio:ColorSpace.
bool names_colour_space(std::span<const std::uint8_t> data) {
    std::string keyword;
    for (std::uint8_t byte : data) {
        if (byte == 0) break;
        keyword += static_cast<char>(std::tolower(byte));
    }
    return keyword.find("colorspace") != std::string::npos;
}

/// Undoes a row's filter (PNG spec section 9); `prior` is the row above, zeros for the first.
bool unfilter(std::uint8_t filter, std::uint8_t* __restrict row,
              const std::uint8_t* __restrict prior, std::size_t size, std::size_t bpp) {
    switch (filter) {
        case 0:
            return true;
        case 1:
            for (std::size_t i = bpp; i < size; ++i)
                row[i] = static_cast<std::uint8_t>(row[i] + row[i - bpp]);
            return true;
        case 2:
            for (std::size_t i = 0; i < size; ++i)
                row[i] = static_cast<std::uint8_t>(row[i] + prior[i]);
            return true;
        case 3:
            for (std::size_t i = 0; i < bpp; ++i)
                row[i] = static_cast<std::uint8_t>(row[i] + (prior[i] >> 1));
            for (std::size_t i = bpp; i < size; ++i)
                row[i] = static_cast<std::uint8_t>(row[i] + ((row[i - bpp] + prior[i]) >> 1));
            return true;
        case 4:
            for (std::size_t i = 0; i < size; ++i) {
                const int a = i >= bpp ? row[i - bpp] : 0, b = prior[i],
                          c = i >= bpp ? prior[i - bpp] : 0;
                const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
                const int predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                row[i] = static_cast<std::uint8_t>(row[i] + predicted);
            }
            return true;
        default:
            return false;
    }
}

/// zlib's inflate over the consecutive IDAT chunks that start at `offset`.
class ImageDataStream {
  public:
    ImageDataStream(std::span<const std::uint8_t> file, std::size_t offset)
        : file_(file), offset_(offset) {
        ready_ = inflateInit(&stream_) == Z_OK;
#if ZLIB_VERNUM >= 0x1290
        // The Adler-32 of the inflated data is a transport checksum; the CRCs cover the file.
        if (ready_) ready_ = inflateValidate(&stream_, 0) == Z_OK;
#endif
    }
    ~ImageDataStream() { inflateEnd(&stream_); }
    ImageDataStream(const ImageDataStream&) = delete;
    ImageDataStream& operator=(const ImageDataStream&) = delete;

    /// Fills `out` exactly; false when the data ends or is damaged first.
    bool fill(std::uint8_t* out, std::size_t size) {
        stream_.next_out = out;
        stream_.avail_out = static_cast<uInt>(size);
        while (ready_ && stream_.avail_out > 0) {
            if (stream_.avail_in == 0 && !next_image_chunk()) return false;
            const int status = inflate(&stream_, Z_NO_FLUSH);
            if (status == Z_STREAM_END) ended_ = true;
            if (ended_ ? stream_.avail_out > 0 : status != Z_OK) return false;
        }
        return ready_;
    }
    /// The zlib stream ends within the image data, with nothing left over (as libpng wants).
    bool ends_cleanly() {
        std::uint8_t extra = 0;
        return !fill(&extra, 1) && ended_ && stream_.avail_out == 1;
    }

  private:
    bool next_image_chunk() {
        Chunk chunk;
        if (!next_chunk(file_, offset_, chunk) || chunk.type != "IDAT") return false;
        stream_.next_in = const_cast<Bytef*>(chunk.data.data());
        stream_.avail_in = static_cast<uInt>(chunk.data.size());
        return true;
    }

    std::span<const std::uint8_t> file_;
    std::size_t offset_;
    z_stream stream_{};
    bool ready_ = false;
    bool ended_ = false;
};

}  // namespace

bool PlainPngReader::open(std::span<const std::uint8_t> file) {
    file_ = file;
    if (file.size() < sizeof kSignature || std::memcmp(file.data(), kSignature, 8) != 0)
        return false;
    return read_chunks() && colour_is_plain();
}

bool PlainPngReader::read_chunks() {
    std::size_t offset = sizeof kSignature;
    Chunk chunk;
    if (!next_chunk(file_, offset, chunk) || chunk.type != "IHDR" || !take_header(chunk.data))
        return false;
    for (;;) {
        const std::size_t start = offset;
        if (!next_chunk(file_, offset, chunk)) return false;
        if (chunk.type == "IDAT") {
            image_data_ = start;
            return true;
        }
        if (chunk.type == "tEXt" || chunk.type == "zTXt" || chunk.type == "iTXt") {
            if (names_colour_space(chunk.data)) return false;
        } else if (chunk.type == "sRGB" || chunk.type == "gAMA") {
            if (!take_colour_chunk(chunk.type.data(), chunk.data)) return false;
        } else if (is_critical(chunk.type) || chunk.type == "tRNS") {
            return false;  // PLTE, IEND before any image data, or one this reader does not know
        }
    }
}

bool PlainPngReader::take_header(std::span<const std::uint8_t> data) {
    if (data.size() != 13) return false;
    const std::uint32_t width = big_endian_32(&data[0]), height = big_endian_32(&data[4]);
    const int depth = data[8], colour = data[9];
    // libpng's default user limit: beyond it OpenImageIO cannot read the board either.
    if (width == 0 || height == 0 || width > 1'000'000u || height > 1'000'000u) return false;
    if ((depth != 8 && depth != 16) || (colour != 0 && colour != 2)) return false;
    if (data[10] != 0 || data[11] != 0 || data[12] != 0) return false;  // interlaced: refused
    width_ = static_cast<int>(width);
    height_ = static_cast<int>(height);
    bit_depth_ = depth;
    channels_ = colour == 2 ? 3 : 1;
    return true;
}

bool PlainPngReader::take_colour_chunk(const char* type, std::span<const std::uint8_t> data) {
    if (std::string_view(type, 4) == "sRGB") {
        if (has_srgb_ || data.size() != 1 || data[0] > 3) return false;
        has_srgb_ = true;
        return true;
    }
    if (gamma_ != 0 || data.size() != 4) return false;
    gamma_ = big_endian_32(data.data());
    return gamma_ >= 16 && gamma_ <= 625000000;  // what libpng keeps
}

bool PlainPngReader::colour_is_plain() const {
    if (has_srgb_) return gamma_ == 0 || (gamma_ >= 45000 && gamma_ <= 46000);  // consistent
    if (gamma_ == 0) return true;  // no colour information: OpenImageIO assumes sRGB
    // OpenImageIO 2.4: display gamma rounded to hundredths; exactly 1 is "linear".
    const float display = std::roundf(100.0f * static_cast<float>(100000.0 / gamma_)) / 100.0f;
    return display != 1.0f;
}

bool PlainPngReader::read_rows(PngRowSink& sink) {
    ImageDataStream stream(file_, image_data_);
    const std::size_t bpp = static_cast<std::size_t>(channels_) * (bit_depth_ / 8);
    const std::size_t row_bytes = static_cast<std::size_t>(width_) * bpp;
    std::vector<std::uint8_t> current(row_bytes + 1), prior(row_bytes + 1, 0);
    std::vector<std::uint16_t> native(bit_depth_ == 16 ? row_bytes / 2 : 0);
    for (int y = 0; y < height_; ++y) {
        if (!stream.fill(current.data(), current.size()) ||
            !unfilter(current[0], current.data() + 1, prior.data() + 1, row_bytes, bpp))
            return false;
        if (sink.wants_row(y)) {
            const std::uint8_t* row = current.data() + 1;
            if (bit_depth_ == 16) {
                for (std::size_t i = 0; i < native.size(); ++i)
                    native[i] = static_cast<std::uint16_t>(row[2 * i] << 8 | row[2 * i + 1]);
                row = reinterpret_cast<const std::uint8_t*>(native.data());
            }
            sink.take_row(y, row);
        }
        current.swap(prior);
    }
    return stream.ends_cleanly();
}

}  // namespace storyreel
