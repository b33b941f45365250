#pragma once
// Nearly free held frames in H.264: P-frames in which every macroblock is P_Skip.
//
// A held panel is encoded once by libx264 as an IDR picture; each further frame of the hold
// is a P picture we write ourselves, with one slice whose macroblocks are all skipped. A
// P_Skip macroblock with no coded neighbours predicts motion (0,0) from the previous
// picture and has no residual, and deblocking is switched off in these slices, so every
// repeat decodes to exactly the IDR's pixels. At 1080p a skip frame takes ~0.3 us to make
// (CABAC slice data is computed once per writer, ~55 us) and is 11 bytes with CAVLC, 67 with
// CABAC (its long runs of zero bytes need emulation prevention), start code included.
//
// What the libx264 encoder must be set up with (checked against its SPS/PPS by
// parse_h264_params where the headers show it):
//   - max_b_frames = 0 (x264-params bframes=0): x264 then writes pic_order_cnt_type 2, in
//     which picture order follows frame_num. With B-frames it writes POC type 0: refused.
//   - not interlaced (frame_mbs_only_flag 1): refused otherwise.
//   - every frame sent to x264 is a panel's first frame, forced to an IDR
//     (frame->pict_type = AV_PICTURE_TYPE_I and the private option forced-idr=1).
//     The skip frames count frame_num up from that IDR's 0, so check each panel packet with
//     h264_access_unit_is_idr() before writing repeats after it.
//   - no encoder delay, so each panel's packet comes out of avcodec_receive_packet() right
//     after its frame went in: tune=zerolatency (or rc-lookahead=0:sync-lookahead=0 and
//     threads=1 or sliced threads). Without it x264 answers EAGAIN for several panels; the
//     caller must then queue the hold lengths and write each panel's skip frames when its
//     packet arrives, as the skip frames must follow their IDR in decode order.
//   - keyint large and scenecut=0 (so x264 never decides IDRs itself; harmless here since
//     it only ever sees IDR frames), refs=1, weightp=0. refs and weightp are not required:
//     a skip frame references the newest picture whatever max_num_ref_frames is, and with
//     weighted_pred_flag 1 it writes a neutral pred_weight_table (weight 1, offset 0).
//   - x264's log2_max_frame_num is small (4, so MaxFrameNum 16, with bframes=0 and ref=1):
//     frame_num wraps often; that is allowed and handled.
//
// Packets: one access unit per call (one slice NAL, nal_ref_idc 2, no AUD or SEI), in the
// framing of the packets it goes next to. libx264 writes Annex B packets and extradata even
// with AV_CODEC_FLAG_GLOBAL_HEADER, and the MP4/MOV muxer converts them (and builds avcC)
// itself: skip frames for it must be Annex B too (length-prefixed ones are silently
// dropped). parse_h264_params() picks the framing of the extradata it is given. Give each
// skip packet pts = dts = the frame's index (no reordering), duration 1 in the 1/fps time
// base, and leave AV_PKT_FLAG_KEY unset: a P-frame is not a sync sample.
//
// All functions here throw storyreel::BuildError on headers they cannot work with.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace storyreel {

/// How NAL units are delimited in packets and extradata.
enum class H264Framing {
    AnnexB,          ///< start codes (00 00 00 01); what libx264 produces, even for MP4 output
    LengthPrefixed,  ///< big-endian NAL sizes, as in MP4/MOV samples read back by a demuxer
};

/// What the skip-slice writer needs from a stream's SPS and PPS, plus a few fields kept for
/// reporting.
struct H264StreamParams {
    int profile_idc = 0;
    int level_idc = 0;
    int sps_id = 0;
    int pps_id = 0;
    int chroma_format_idc = 1;  ///< 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4
    int bit_depth_luma = 8;
    int width_mbs = 0;   ///< picture width in macroblocks
    int height_mbs = 0;  ///< picture height in macroblocks (frames only)
    int log2_max_frame_num = 4;
    int max_num_ref_frames = 1;
    bool cabac = false;  ///< entropy_coding_mode_flag
    int num_ref_idx_l0_default_active = 1;
    bool weighted_pred = false;  ///< weighted_pred_flag
    bool deblocking_control_present = false;
    bool redundant_pic_cnt_present = false;
    bool transform_8x8_mode = false;  ///< not needed for skip slices; reported only
    int pic_init_qp = 26;             ///< 26 + pic_init_qp_minus26
    H264Framing framing = H264Framing::AnnexB;
    int nal_length_size = 4;  ///< bytes of each NAL size when framing is LengthPrefixed

    int macroblocks() const { return width_mbs * height_mbs; }
    /// e.g. "High@3.0 40x23 MBs 4:2:0 8-bit, CABAC, log2_max_frame_num 4, POC type 2, ...".
    std::string describe() const;
};

/// Parses the SPS and PPS in an encoder's or demuxer's extradata: an avcC record (MP4/MOV,
/// first byte 1; framing becomes LengthPrefixed with its NAL size) or an Annex B stream (as
/// libx264 writes with AV_CODEC_FLAG_GLOBAL_HEADER). Throws BuildError, naming `file` when
/// given, if there is not exactly one SPS and one PPS, or if the stream is of a kind the skip
/// writer does not support (POC type other than 2, interlaced, separate colour planes,
/// slice groups, no reference frames).
H264StreamParams parse_h264_params(const std::uint8_t* extradata, int size,
                                   const std::string& file = {});

/// Whether the access unit holds an IDR slice (nal_unit_type 5), in `params.framing`.
bool h264_access_unit_is_idr(std::span<const std::uint8_t> access_unit,
                             const H264StreamParams& params);

/// Writes P-frames whose macroblocks are all P_Skip, continuing frame_num after an IDR.
/// Cheap to copy; skip_frame() does not change the writer, so one writer can serve a whole
/// movie and several threads.
class H264SkipFrameWriter {
  public:
    explicit H264SkipFrameWriter(H264StreamParams params);

    /// The access unit for the k-th repeat after an IDR (k = frames_since_idr >= 1):
    /// frame_num k mod MaxFrameNum, a reference picture with sliding-window marking.
    std::vector<std::uint8_t> skip_frame(std::int64_t frames_since_idr) const;

    const H264StreamParams& params() const { return params_; }

  private:
    H264StreamParams params_;
    /// CABAC: the slice data (arithmetic code incl. stop bit), identical for every frame.
    std::vector<std::uint8_t> cabac_slice_data_;
};

}  // namespace storyreel
