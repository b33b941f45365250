#include "media/prores_rows.h"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <bit>
#include <cstring>

#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

constexpr int kRowLines = 16;  ///< a slice row: one macroblock high (prores_ks, progressive)

std::uint32_t read_be(const std::uint8_t* at, int bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < bytes; ++i) value = value << 8 | at[i];
    return value;
}

void write_be(std::vector<std::uint8_t>& out, std::uint32_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

/// Where the parts of a one-picture ProRes frame are.
struct ProResLayout {
    std::size_t picture = 0;           ///< offset of the picture header
    std::size_t slices = 0;            ///< offset of the first slice
    std::vector<std::uint32_t> sizes;  ///< of every slice, in row order
    int slices_per_row = 0;
    int rows = 0;
    std::uint8_t slice_shape = 0;  ///< log2 of the slice width and height in macroblocks
    int width = 0;
};

ProResLayout parse_layout(const AVPacket& packet, const std::string& file) {
    auto refuse = [&](const std::string& what) {
        return std::logic_error(file + ": cannot re-encode rows of this ProRes frame: " + what);
    };
    const std::uint8_t* data = packet.data;
    const auto size = static_cast<std::size_t>(packet.size);
    if (size < 28 || std::memcmp(data + 4, "icpf", 4) != 0) throw refuse("no ProRes frame header");
    if (read_be(data, 4) != size) throw refuse("frame size differs from the packet's");
    if ((data[20] & 0x0C) != 0) throw refuse("interlaced");
    ProResLayout layout;
    layout.width = static_cast<int>(read_be(data + 16, 2));
    layout.picture = 8 + read_be(data + 8, 2);
    if (layout.picture + 8 > size) throw refuse("truncated picture header");
    const std::uint8_t* picture = data + layout.picture;
    const std::size_t header = picture[0] >> 3;
    const std::size_t count = read_be(picture + 5, 2);
    layout.slice_shape = picture[7];
    layout.slices = layout.picture + header + 2 * count;
    if ((layout.slice_shape & 0x0F) != 0) throw refuse("slices taller than one macroblock row");
    if (layout.picture + read_be(picture + 1, 4) != size || layout.slices > size)
        throw refuse("picture size");
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        layout.sizes.push_back(read_be(picture + header + 2 * i, 2));
        total += layout.sizes.back();
    }
    if (layout.slices + total != size) throw refuse("slice sizes do not add up");
    const int mb_width = (layout.width + 15) / 16;
    const int per_slice = 1 << (layout.slice_shape >> 4);
    layout.slices_per_row =
        mb_width / per_slice + std::popcount(static_cast<unsigned>(mb_width % per_slice));
    if (count % layout.slices_per_row != 0) throw refuse("slices do not fill whole rows");
    layout.rows = static_cast<int>(count) / layout.slices_per_row;
    return layout;
}

/// Rows [first, end) of the frame's macroblock rows touched by `changed`, merged where
/// they meet.
std::vector<std::pair<int, int>> changed_rows(const std::vector<OIIO::ROI>& changed, int height) {
    std::vector<std::pair<int, int>> rows;
    for (const auto& region : changed) {
        const int first = std::max(0, region.ybegin) / kRowLines;
        const int end = (std::min(height, region.yend) + kRowLines - 1) / kRowLines;
        if (end > first) rows.emplace_back(first, end);
    }
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> merged;
    for (const auto& run : rows)
        if (!merged.empty() && run.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, run.second);
        else
            merged.push_back(run);
    return merged;
}

/// Lines [first, end) of an RGB UINT16 picture as a picture of their own.
OIIO::ImageBuf lines_of(const OIIO::ImageBuf& picture, int first, int end) {
    const OIIO::ImageSpec& spec = picture.spec();
    OIIO::ImageBuf lines(OIIO::ImageSpec(spec.width, end - first, spec.nchannels, spec.format),
                         OIIO::InitializePixels::No);
    const std::size_t row_bytes = spec.scanline_bytes();
    for (int y = first; y < end; ++y)
        std::memcpy(lines.pixeladdr(0, y - first), picture.pixeladdr(0, y), row_bytes);
    return lines;
}

}  // namespace

av::PacketPtr splice_prores_rows(const AVPacket& frame, const AVPacket& rows, int first_row,
                                 const std::string& file) {
    const ProResLayout whole = parse_layout(frame, file);
    const ProResLayout part = parse_layout(rows, file);
    if (part.width != whole.width || part.slice_shape != whole.slice_shape || first_row < 0 ||
        first_row + part.rows > whole.rows)
        throw std::logic_error(file + ": ProRes rows do not fit the frame they replace");
    const std::size_t before = static_cast<std::size_t>(first_row) * whole.slices_per_row;
    const std::size_t replaced = static_cast<std::size_t>(part.rows) * whole.slices_per_row;
    std::vector<std::uint32_t> sizes(whole.sizes.begin(), whole.sizes.begin() + before);
    sizes.insert(sizes.end(), part.sizes.begin(), part.sizes.end());
    sizes.insert(sizes.end(), whole.sizes.begin() + before + replaced, whole.sizes.end());
    std::size_t skip_before = 0, skip_replaced = 0;
    for (std::size_t i = 0; i < before; ++i) skip_before += whole.sizes[i];
    for (std::size_t i = before; i < before + replaced; ++i) skip_replaced += whole.sizes[i];

    std::vector<std::uint8_t> out(frame.data, frame.data + whole.picture);  // frame size + header
    const std::uint8_t* picture = frame.data + whole.picture;
    const std::size_t header = picture[0] >> 3;
    const std::size_t picture_start = out.size();
    out.insert(out.end(), picture, picture + header);
    for (auto size : sizes) write_be(out, size, 2);
    const std::uint8_t* slices = frame.data + whole.slices;
    out.insert(out.end(), slices, slices + skip_before);
    out.insert(out.end(), static_cast<const std::uint8_t*>(rows.data) + part.slices,
               static_cast<const std::uint8_t*>(rows.data) + rows.size);
    out.insert(out.end(), slices + skip_before + skip_replaced,
               static_cast<const std::uint8_t*>(frame.data) + frame.size);
    const auto picture_size = static_cast<std::uint32_t>(out.size() - picture_start);
    for (int i = 0; i < 4; ++i)
        out[picture_start + 1 + i] = static_cast<std::uint8_t>(picture_size >> (24 - 8 * i));
    const auto frame_size = static_cast<std::uint32_t>(out.size());
    for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(frame_size >> (24 - 8 * i));

    auto packet = av::make_packet();
    av::check(av_new_packet(packet.get(), static_cast<int>(out.size())), "allocating a packet",
              file);
    std::memcpy(packet->data, out.data(), out.size());
    packet->flags |= AV_PKT_FLAG_KEY;
    return packet;
}

ProResRowEncoder::ProResRowEncoder(const EncodeSettings& settings, int width, int height,
                                   FrameRate rate, std::string file)
    : settings_(settings),
      width_(width),
      height_(height),
      rate_(rate),
      file_(std::move(file)),
      whole_(settings, width, height, rate, true, file_) {
    std::int64_t bits_per_mb = 0;  // prores_ks's budget for the whole frame's size
    av::check(av_opt_get_int(whole_.context()->priv_data, "bits_per_mb", 0, &bits_per_mb),
              "reading prores_ks's bits_per_mb", file_);
    settings_.prores_bits_per_mb = static_cast<int>(bits_per_mb);
}

av::PacketPtr ProResRowEncoder::encode_whole(AVFrame* frame) {
    auto packet = whole_.encode_intra(frame);
    if (!packet) throw std::logic_error(file_ + ": the ProRes encoder held a picture back");
    return std::move(*packet);
}

VideoEncoder& ProResRowEncoder::rows_encoder(int height) {
    auto& encoder = rows_[height];
    if (!encoder)
        encoder = std::make_unique<VideoEncoder>(settings_, width_, height, rate_, true, file_);
    return *encoder;
}

av::PacketPtr ProResRowEncoder::update(const AVPacket& previous, const OIIO::ImageBuf& picture,
                                       const std::vector<OIIO::ROI>& changed) {
    auto packet = av::make_packet();
    av::check(av_packet_ref(packet.get(), &previous), "keeping a ProRes frame", file_);
    const auto format = av_get_pix_fmt(settings_.pixel_format_name());
    for (const auto& [first, end] : changed_rows(changed, height_)) {
        const OIIO::ImageBuf lines =
            lines_of(picture, first * kRowLines, std::min(height_, end * kRowLines));
        auto frame = make_video_frame(lines, format, file_);
        auto rows = rows_encoder(lines.spec().height).encode_intra(frame.get());
        if (!rows) throw std::logic_error(file_ + ": the ProRes encoder held a picture back");
        packet = splice_prores_rows(*packet, **rows, first, file_);
    }
    return packet;
}

}  // namespace storyreel
