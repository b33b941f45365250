#include "media/h264_idr_pic_id.h"

#include <stdexcept>
#include <string>

#include "media/h264_bitstream.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

using h264::BitReader;
using h264::BitWriter;
using ByteSpan = std::span<const std::uint8_t>;

[[noreturn]] void fail(const std::string& message) {
    throw BuildError({{},
                      "H.264 IDR pictures",
                      message,
                      "encode with libx264 (progressive, one slice group, no B-frames)"});
}

std::vector<ByteSpan> nal_units(ByteSpan access_unit, const H264StreamParams& params) {
    if (params.framing == H264Framing::AnnexB) return h264::split_annex_b(access_unit);
    try {
        return h264::split_length_prefixed(access_unit, params.nal_length_size);
    } catch (const std::out_of_range& error) {
        fail(std::string("malformed length-prefixed access unit: ") + error.what());
    }
}

bool is_idr_slice(ByteSpan unit) { return !unit.empty() && (unit[0] & 0x1F) == h264::kNalSliceIdr; }

/// Bit positions in an IDR slice's RBSP: where idr_pic_id starts and ends, and where the
/// slice header ends (7.3.3, for the I slices of an IDR picture of the streams
/// parse_h264_params() accepts: frames only, POC type 2, one slice group).
struct IdrSliceHeader {
    std::size_t id_begin = 0, id_end = 0, header_end = 0;
    int idr_pic_id = 0;
};

IdrSliceHeader read_idr_slice_header(const std::vector<std::uint8_t>& rbsp,
                                     const H264StreamParams& params) {
    IdrSliceHeader header;
    try {
        BitReader reader(rbsp);
        reader.ue();                             // first_mb_in_slice
        const std::uint32_t type = reader.ue();  // slice_type
        if (type % 5 != 2) fail("an IDR slice of type " + std::to_string(type) + ", not I");
        reader.ue();                                                       // pic_parameter_set_id
        reader.skip(static_cast<std::size_t>(params.log2_max_frame_num));  // frame_num
        header.id_begin = reader.position();
        header.idr_pic_id = static_cast<int>(reader.ue());
        header.id_end = reader.position();
        if (params.redundant_pic_cnt_present) reader.ue();  // redundant_pic_cnt
        reader.skip(2);  // dec_ref_pic_marking(): no_output_of_prior_pics, long_term_reference
        reader.se();     // slice_qp_delta
        if (params.deblocking_control_present && reader.ue() != 1) {
            reader.se();  // slice_alpha_c0_offset_div2
            reader.se();  // slice_beta_offset_div2
        }
        header.header_end = reader.position();
    } catch (const std::out_of_range& error) {
        fail(std::string("malformed IDR slice header: ") + error.what());
    }
    return header;
}

/// Copies bits [from, to) of `rbsp` to `out`.
void copy_bits(const std::vector<std::uint8_t>& rbsp, std::size_t from, std::size_t to,
               BitWriter& out) {
    BitReader reader(rbsp);
    reader.skip(from);
    for (std::size_t left = to - from; left > 0;) {
        const int count = static_cast<int>(std::min<std::size_t>(left, 32));
        out.put_bits(reader.bits(count), count);
        left -= static_cast<std::size_t>(count);
    }
}

/// The position of the rbsp_stop_one_bit: the last 1 bit of the RBSP.
std::size_t stop_bit_of(const std::vector<std::uint8_t>& rbsp) {
    std::size_t end = rbsp.size();
    while (end > 0 && rbsp[end - 1] == 0) --end;
    if (end == 0) fail("an IDR slice without its rbsp_stop_one_bit");
    int trailing = 0;
    while (((rbsp[end - 1] >> trailing) & 1) == 0) ++trailing;
    return 8 * end - 1 - static_cast<std::size_t>(trailing);
}

/// The slice's RBSP with `id` as its idr_pic_id.
std::vector<std::uint8_t> rewrite_idr_slice(const std::vector<std::uint8_t>& rbsp,
                                            const H264StreamParams& params, int id) {
    const IdrSliceHeader header = read_idr_slice_header(rbsp, params);
    BitWriter out;
    copy_bits(rbsp, 0, header.id_begin, out);
    out.put_ue(static_cast<std::uint32_t>(id));
    copy_bits(rbsp, header.id_end, header.header_end, out);
    if (params.cabac) {
        // slice_data() starts with cabac_alignment_one_bits; the arithmetic code after them
        // (and the trailing bits and cabac_zero_words) is byte aligned: copied whole.
        while (!out.byte_aligned()) out.put_bit(true);
        const std::size_t data = (header.header_end + 7) / 8;
        out.put_bytes(ByteSpan(rbsp).subspan(data));
    } else {
        copy_bits(rbsp, header.header_end, stop_bit_of(rbsp), out);
        out.put_trailing_bits();
    }
    return out.bytes();
}

void append_unit(std::uint8_t header, ByteSpan payload_rbsp_or_raw, bool escape,
                 const H264StreamParams& params, std::vector<std::uint8_t>& out) {
    const std::size_t at = out.size();
    const std::size_t prefix = params.framing == H264Framing::AnnexB
                                   ? 4
                                   : static_cast<std::size_t>(params.nal_length_size);
    out.resize(at + prefix, 0);
    out.push_back(header);
    if (escape)
        h264::append_with_emulation_prevention(payload_rbsp_or_raw, out);
    else
        out.insert(out.end(), payload_rbsp_or_raw.begin(), payload_rbsp_or_raw.end());
    if (params.framing == H264Framing::AnnexB) {
        out[at + 3] = 1;
        return;
    }
    const std::size_t length = out.size() - at - prefix;
    if (prefix < 4 && length >> (8 * prefix) != 0)
        fail("an IDR slice of " + std::to_string(length) + " bytes does not fit " +
             std::to_string(prefix) + "-byte NAL lengths");
    for (std::size_t b = 0; b < prefix; ++b)
        out[at + b] = static_cast<std::uint8_t>(length >> (8 * (prefix - 1 - b)));
}

}  // namespace

int h264_idr_pic_id(std::span<const std::uint8_t> access_unit, const H264StreamParams& params) {
    for (const ByteSpan unit : nal_units(access_unit, params))
        if (is_idr_slice(unit))
            return read_idr_slice_header(h264::remove_emulation_prevention(unit.subspan(1)), params)
                .idr_pic_id;
    return -1;
}

std::vector<std::uint8_t> h264_with_idr_pic_id(std::span<const std::uint8_t> access_unit,
                                               const H264StreamParams& params, int idr_pic_id) {
    if (idr_pic_id < 0 || idr_pic_id > 65535)
        throw std::invalid_argument("idr_pic_id is 0..65535; got " + std::to_string(idr_pic_id));
    std::vector<std::uint8_t> out;
    out.reserve(access_unit.size() + 16);
    for (const ByteSpan unit : nal_units(access_unit, params)) {
        if (!is_idr_slice(unit)) {
            append_unit(unit[0], unit.subspan(1), false, params, out);
            continue;
        }
        const auto rbsp = h264::remove_emulation_prevention(unit.subspan(1));
        append_unit(unit[0], rewrite_idr_slice(rbsp, params, idr_pic_id), true, params, out);
    }
    return out;
}

}  // namespace storyreel
