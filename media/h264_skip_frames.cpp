#include "media/h264_skip_frames.h"

#include <sstream>
#include <stdexcept>
#include <utility>

#include "media/h264_bitstream.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

using h264::BitReader;
using h264::BitWriter;
using ByteSpan = std::span<const std::uint8_t>;

constexpr const char* kSubject = "H.264 skip frames";
constexpr const char* kX264Hint =
    "encode with libx264 bframes=0, progressive, one slice group (x264's defaults apart from "
    "B-frames)";

[[noreturn]] void fail(const std::string& file, const std::string& message,
                       const std::string& hint = kX264Hint) {
    throw BuildError({{file, 0, 0}, kSubject, message, hint});
}

/// 7.3.2.1.1.1: reads and discards one scaling_list() of `size` entries.
void skip_scaling_list(BitReader& reader, int size) {
    int last_scale = 8;
    int next_scale = 8;
    for (int j = 0; j < size; ++j) {
        if (next_scale != 0) next_scale = (last_scale + reader.se() + 256) % 256;
        last_scale = next_scale == 0 ? last_scale : next_scale;
    }
}

bool has_chroma_format_fields(int profile_idc) {
    switch (profile_idc) {
        case 100:
        case 110:
        case 122:
        case 244:
        case 44:
        case 83:
        case 86:
        case 118:
        case 128:
        case 138:
        case 139:
        case 134:
        case 135:
            return true;
        default:
            return false;
    }
}

/// seq_parameter_set_rbsp() (7.3.2.1.1) up to direct_8x8_inference_flag: all a P slice
/// header needs. Refuses what skip slices cannot be written for.
void parse_sps(BitReader& reader, H264StreamParams& params, const std::string& file) {
    params.profile_idc = static_cast<int>(reader.bits(8));
    reader.skip(8);  // constraint_set flags, reserved_zero_2bits
    params.level_idc = static_cast<int>(reader.bits(8));
    params.sps_id = static_cast<int>(reader.ue());
    if (has_chroma_format_fields(params.profile_idc)) {
        params.chroma_format_idc = static_cast<int>(reader.ue());
        if (params.chroma_format_idc == 3 && reader.bit())
            fail(file, "the SPS uses separate colour planes (separate_colour_plane_flag 1)");
        params.bit_depth_luma = 8 + static_cast<int>(reader.ue());
        reader.ue();         // bit_depth_chroma_minus8
        reader.bit();        // qpprime_y_zero_transform_bypass_flag
        if (reader.bit()) {  // seq_scaling_matrix_present_flag
            const int lists = params.chroma_format_idc != 3 ? 8 : 12;
            for (int i = 0; i < lists; ++i)
                if (reader.bit()) skip_scaling_list(reader, i < 6 ? 16 : 64);
        }
    }
    params.log2_max_frame_num = 4 + static_cast<int>(reader.ue());
    if (params.log2_max_frame_num > 16) fail(file, "log2_max_frame_num above 16 in the SPS", {});
    const std::uint32_t poc_type = reader.ue();
    if (poc_type != 2)
        fail(file,
             "the SPS has pic_order_cnt_type " + std::to_string(poc_type) +
                 "; skip frames need type 2 (display order = decoding order)",
             "set max_b_frames = 0 (x264-params bframes=0): x264 then writes POC type 2");
    params.max_num_ref_frames = static_cast<int>(reader.ue());
    if (params.max_num_ref_frames < 1)
        fail(file, "the SPS allows no reference frames (intra-only stream)",
             "do not use keyint=1 / gop_size 1 with x264; use a large keyint and force IDRs");
    if (params.max_num_ref_frames >= (1 << params.log2_max_frame_num))
        fail(file, "max_num_ref_frames is not below MaxFrameNum", {});
    reader.bit();  // gaps_in_frame_num_value_allowed_flag
    params.width_mbs = static_cast<int>(reader.ue()) + 1;
    params.height_mbs = static_cast<int>(reader.ue()) + 1;  // map units = MBs for frames
    if (!reader.bit())
        fail(file, "the SPS codes interlaced video (frame_mbs_only_flag 0)",
             "encode progressive: no x264 interlaced/tff/bff/fake-interlaced options");
}

/// pic_parameter_set_rbsp() (7.3.2.2).
void parse_pps(BitReader& reader, H264StreamParams& params, const std::string& file) {
    params.pps_id = static_cast<int>(reader.ue());
    const int sps_id = static_cast<int>(reader.ue());
    if (sps_id != params.sps_id)
        fail(file, "the PPS refers to SPS " + std::to_string(sps_id) + ", but the SPS is " +
                       std::to_string(params.sps_id));
    params.cabac = reader.bit();
    reader.bit();  // bottom_field_pic_order_in_frame_present_flag: no slice syntax for POC 2
    if (reader.ue() != 0) fail(file, "the PPS uses slice groups (FMO)");
    params.num_ref_idx_l0_default_active = static_cast<int>(reader.ue()) + 1;
    reader.ue();  // num_ref_idx_l1_default_active_minus1
    params.weighted_pred = reader.bit();
    reader.bits(2);  // weighted_bipred_idc
    params.pic_init_qp = 26 + reader.se();
    reader.se();  // pic_init_qs_minus26
    reader.se();  // chroma_qp_index_offset
    params.deblocking_control_present = reader.bit();
    reader.bit();  // constrained_intra_pred_flag
    params.redundant_pic_cnt_present = reader.bit();
    if (reader.more_rbsp_data()) params.transform_8x8_mode = reader.bit();
    // pic_scaling_matrix and second_chroma_qp_index_offset follow; skip slices need neither.
}

/// The SPS and PPS NAL units of an avcC record or an Annex B stream.
struct ParameterSets {
    std::vector<ByteSpan> sps, pps;
    H264Framing framing = H264Framing::AnnexB;
    int nal_length_size = 4;
};

ParameterSets find_parameter_sets(ByteSpan data, const std::string& file) {
    ParameterSets sets;
    if (!data.empty() && data[0] == 1) {  // avcC (ISO/IEC 14496-15 5.3.3.1)
        sets.framing = H264Framing::LengthPrefixed;
        if (data.size() < 7) fail(file, "the avcC record is truncated", {});
        sets.nal_length_size = (data[4] & 3) + 1;
        if (sets.nal_length_size == 3) fail(file, "the avcC record has a 3-byte NAL size", {});
        std::size_t i = 5;
        auto read_units = [&](std::vector<ByteSpan>& units, int count) {
            for (int n = 0; n < count; ++n) {
                if (i + 2 > data.size()) fail(file, "the avcC record is truncated", {});
                const std::size_t length = (std::size_t{data[i]} << 8) | data[i + 1];
                i += 2;
                if (length == 0 || i + length > data.size())
                    fail(file, "the avcC record is truncated", {});
                units.push_back(data.subspan(i, length));
                i += length;
            }
        };
        read_units(sets.sps, data[i++] & 0x1F);
        if (i >= data.size()) fail(file, "the avcC record is truncated", {});
        read_units(sets.pps, data[i++]);
        return sets;
    }
    for (const ByteSpan unit : h264::split_annex_b(data)) {
        const int type = unit[0] & 0x1F;
        if (type == h264::kNalSps) sets.sps.push_back(unit);
        if (type == h264::kNalPps) sets.pps.push_back(unit);
    }
    return sets;
}

/// Unit payload without the one-byte NAL header, emulation prevention removed.
std::vector<std::uint8_t> rbsp_of(ByteSpan unit) {
    return h264::remove_emulation_prevention(unit.subspan(1));
}

/// The slice data of an all-P_Skip slice coded with CABAC (7.3.4 with 9.3): per macroblock
/// mb_skip_flag = 1 and end_of_slice_flag, the last one 1.
std::vector<std::uint8_t> cabac_skip_slice_data(const H264StreamParams& params) {
    // mb_skip_flag of P slices is ctxIdx 11..13; ctxIdxInc counts non-skipped neighbours,
    // so with every macroblock skipped it is always 11. (m, n) = (23, 33) for
    // cabac_init_idc 0 (Table 9-13). SliceQPY = pic_init_qp as slice_qp_delta is 0.
    auto skip_context = h264::CabacContext::from_mn(23, 33, params.pic_init_qp);
    h264::CabacEncoder encoder;
    const int count = params.macroblocks();
    for (int mb = 0; mb < count; ++mb) {
        encoder.encode_decision(skip_context, 1);
        encoder.encode_terminate(mb == count - 1 ? 1 : 0);
    }
    return encoder.bytes();
}

/// slice_header() (7.3.3) of the only slice of a non-IDR reference P picture: all
/// macroblocks predict from the newest reference picture, no weighting, sliding-window
/// marking, slice QP = pic_init_qp, no deblocking.
void write_skip_slice_header(const H264StreamParams& params, std::uint32_t frame_num,
                             BitWriter& rbsp) {
    const bool has_chroma = params.chroma_format_idc != 0;  // ChromaArrayType != 0
    rbsp.put_ue(0);                                         // first_mb_in_slice
    rbsp.put_ue(5);  // slice_type: P, and every slice of the picture is P
    rbsp.put_ue(static_cast<std::uint32_t>(params.pps_id));
    rbsp.put_bits(frame_num, params.log2_max_frame_num);
    // frame_mbs_only_flag is 1, not IDR, POC type 2: no field, idr_pic_id or POC fields.
    if (params.redundant_pic_cnt_present) rbsp.put_ue(0);  // redundant_pic_cnt
    const bool override_refs = params.num_ref_idx_l0_default_active != 1;
    rbsp.put_bit(override_refs);              // num_ref_idx_active_override_flag
    if (override_refs) rbsp.put_ue(0);        // num_ref_idx_l0_active_minus1: only the last picture
    rbsp.put_bit(false);                      // ref_pic_list_modification_flag_l0
    if (params.weighted_pred) {               // pred_weight_table(): weight 1, offset 0
        rbsp.put_ue(0);                       // luma_log2_weight_denom
        if (has_chroma) rbsp.put_ue(0);       // chroma_log2_weight_denom
        rbsp.put_bit(false);                  // luma_weight_l0_flag[0]
        if (has_chroma) rbsp.put_bit(false);  // chroma_weight_l0_flag[0]
    }
    rbsp.put_bit(false);  // dec_ref_pic_marking(): adaptive_ref_pic_marking_mode_flag 0
    if (params.cabac) rbsp.put_ue(0);                       // cabac_init_idc
    rbsp.put_se(0);                                         // slice_qp_delta
    if (params.deblocking_control_present) rbsp.put_ue(1);  // disable_deblocking_filter_idc
}

/// One NAL unit in the stream's framing: start code or big-endian length, header byte, and
/// the RBSP with emulation prevention.
std::vector<std::uint8_t> frame_nal_unit(std::uint8_t header, std::span<const std::uint8_t> rbsp,
                                         const H264StreamParams& params) {
    const bool annex_b = params.framing == H264Framing::AnnexB;
    const std::size_t prefix = annex_b ? 4 : static_cast<std::size_t>(params.nal_length_size);
    std::vector<std::uint8_t> unit;
    unit.reserve(prefix + 1 + rbsp.size() + rbsp.size() / 2);
    unit.resize(prefix, 0);
    unit.push_back(header);
    h264::append_with_emulation_prevention(rbsp, unit);
    if (annex_b) {
        unit[3] = 1;  // 00 00 00 01: zero_byte + start code, as for an access unit's first NAL
        return unit;
    }
    const std::size_t length = unit.size() - prefix;
    if (prefix < 4 && length >> (8 * prefix) != 0)
        throw BuildError({{},
                          kSubject,
                          "a skip frame of " + std::to_string(length) +
                              " bytes does not fit the stream's " + std::to_string(prefix) +
                              "-byte NAL lengths",
                          "write the packets with 4-byte NAL lengths"});
    for (std::size_t b = 0; b < prefix; ++b)
        unit[b] = static_cast<std::uint8_t>(length >> (8 * (prefix - 1 - b)));
    return unit;
}

const char* profile_name(int profile_idc) {
    switch (profile_idc) {
        case 66:
            return "Baseline";
        case 77:
            return "Main";
        case 88:
            return "Extended";
        case 100:
            return "High";
        case 110:
            return "High 10";
        case 122:
            return "High 4:2:2";
        case 244:
            return "High 4:4:4 Predictive";
        default:
            return nullptr;
    }
}

}  // namespace

std::string H264StreamParams::describe() const {
    static const char* const chroma[] = {"4:0:0", "4:2:0", "4:2:2", "4:4:4"};
    std::ostringstream out;
    const char* profile = profile_name(profile_idc);
    if (profile)
        out << profile;
    else
        out << "profile " << profile_idc;
    out << '@' << level_idc / 10 << '.' << level_idc % 10 << ' ' << width_mbs << 'x' << height_mbs
        << " MBs " << chroma[chroma_format_idc & 3] << ' ' << bit_depth_luma << "-bit, "
        << (cabac ? "CABAC" : "CAVLC") << ", log2_max_frame_num " << log2_max_frame_num
        << ", POC type 2, max_num_ref_frames " << max_num_ref_frames
        << ", num_ref_idx_l0_default_active " << num_ref_idx_l0_default_active << ", weighted_pred "
        << weighted_pred << ", deblocking_control " << deblocking_control_present
        << ", transform_8x8 " << transform_8x8_mode << ", pic_init_qp " << pic_init_qp << ", SPS "
        << sps_id << " PPS " << pps_id << ", "
        << (framing == H264Framing::AnnexB ? std::string("Annex B")
                                           : std::to_string(nal_length_size) + "-byte lengths");
    return out.str();
}

H264StreamParams parse_h264_params(const std::uint8_t* extradata, int size,
                                   const std::string& file) {
    if (!extradata || size <= 0)
        fail(file, "the encoder has no extradata (SPS/PPS)",
             "open the encoder with AV_CODEC_FLAG_GLOBAL_HEADER");
    const ParameterSets sets = find_parameter_sets(ByteSpan(extradata, size), file);
    if (sets.sps.size() != 1 || sets.pps.size() != 1)
        fail(file, "expected one SPS and one PPS in the extradata, found " +
                       std::to_string(sets.sps.size()) + " and " + std::to_string(sets.pps.size()));
    H264StreamParams params;
    params.framing = sets.framing;
    params.nal_length_size = sets.nal_length_size;
    try {
        const auto sps = rbsp_of(sets.sps[0]);
        BitReader sps_reader(sps);
        parse_sps(sps_reader, params, file);
        const auto pps = rbsp_of(sets.pps[0]);
        BitReader pps_reader(pps);
        parse_pps(pps_reader, params, file);
    } catch (const std::out_of_range& error) {
        fail(file, std::string("malformed SPS/PPS: ") + error.what(), {});
    }
    return params;
}

bool h264_access_unit_is_idr(std::span<const std::uint8_t> access_unit,
                             const H264StreamParams& params) {
    std::vector<ByteSpan> units;
    if (params.framing == H264Framing::AnnexB) {
        units = h264::split_annex_b(access_unit);
    } else {
        try {
            units = h264::split_length_prefixed(access_unit, params.nal_length_size);
        } catch (const std::out_of_range& error) {
            fail({}, std::string("malformed length-prefixed packet: ") + error.what(),
                 "the packets' framing must match the extradata's");
        }
    }
    for (const ByteSpan unit : units)
        if (!unit.empty() && (unit[0] & 0x1F) == h264::kNalSliceIdr) return true;
    return false;
}

H264SkipFrameWriter::H264SkipFrameWriter(H264StreamParams params) : params_(std::move(params)) {
    if (params_.width_mbs <= 0 || params_.height_mbs <= 0 || params_.log2_max_frame_num < 4 ||
        params_.log2_max_frame_num > 16)
        throw std::invalid_argument("H264SkipFrameWriter: stream params not from an SPS/PPS");
    if (params_.framing == H264Framing::LengthPrefixed && params_.nal_length_size != 1 &&
        params_.nal_length_size != 2 && params_.nal_length_size != 4)
        throw std::invalid_argument("H264SkipFrameWriter: NAL length size must be 1, 2 or 4");
    if (params_.cabac) cabac_slice_data_ = cabac_skip_slice_data(params_);
}

std::vector<std::uint8_t> H264SkipFrameWriter::skip_frame(std::int64_t frames_since_idr) const {
    if (frames_since_idr < 1)
        throw std::invalid_argument("H264SkipFrameWriter::skip_frame: frames_since_idr is " +
                                    std::to_string(frames_since_idr) + ", must be >= 1");
    const std::int64_t max_frame_num = std::int64_t{1} << params_.log2_max_frame_num;
    BitWriter rbsp;
    write_skip_slice_header(params_, static_cast<std::uint32_t>(frames_since_idr % max_frame_num),
                            rbsp);
    // slice_data() (7.3.4)
    if (params_.cabac) {
        while (!rbsp.byte_aligned()) rbsp.put_bit(true);  // cabac_alignment_one_bit
        rbsp.put_bytes(cabac_slice_data_);                // ends with the stop bit
    } else {
        rbsp.put_ue(static_cast<std::uint32_t>(params_.macroblocks()));  // mb_skip_run
        rbsp.put_trailing_bits();
    }
    // forbidden_zero_bit 0, nal_ref_idc 2 (a reference picture), nal_unit_type 1
    return frame_nal_unit(0x41, rbsp.bytes(), params_);
}

}  // namespace storyreel
