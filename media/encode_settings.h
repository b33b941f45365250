#pragma once
// What an encode stage is asked to write: codec, profile, quality, container, file name.

#include <optional>
#include <string>

#include "pipeline/stage_registry.h"

namespace storyreel {

enum class VideoCodec { ProRes, DNxHR, H264 };

/// The movie's file format: QuickTime for editorial, MP4 for review, MXF OP1a for Avid.
enum class Container { Mov, Mp4, Mxf };

/// "mov", "mp4", "mxf": the file extension, and the name in build.json and keys.
const char* container_name(Container container);

/// A file name template with {unit}, {stage} and {show} filled in; spaces and slashes
/// become '_'. Movies add their container's extension; cut lists their format's.
std::string expand_file_name(const std::string& name_template, const std::string& unit,
                             const std::string& stage, const std::string& show);

struct EncodeSettings {
    VideoCodec codec = VideoCodec::ProRes;
    std::string profile;  ///< prores: proxy|lt|standard|hq; dnxhr: lb|sq|hq|hqx
    int crf = 20;         ///< h264
    /// h264: each drawing's IDR is encoded at crf - still_crf_boost. A command line that
    /// encodes every frame refines a held picture with its P-frames; storyreel sends each
    /// drawing once, so it spends those bits up front (6 measured equal or better PSNR).
    int still_crf_boost = 6;
    std::string preset = "veryfast";  ///< h264 (libx264 preset)
    /// h264: a held drawing's IDR picture is written again (the same picture with its own
    /// idr_pic_id, a sync sample) every this many seconds of its hold, and a run of frames
    /// encoded one by one gets an IDR as often, so a player seeking decodes at most this much;
    /// 0 writes one IDR per drawing (and per run).
    double keyframe_seconds = 2.0;
    /// prores: FFmpeg's "prores_aw" (its default ProRes encoder: fixed quantiser per
    /// profile, ~3.5x faster) or "prores_ks" (rate-controlled to the profile's bit rate).
    std::string prores_encoder = "prores_aw";
    Container container = Container::Mov;
    std::string filename = "{unit}_{stage}";  ///< without extension; {unit} {stage} {show}
    std::string reel;  ///< reel name; default: the unit name, up to 8 characters
    /// Intra codecs: true (default) encodes a drawing once and reuses its packet for every
    /// held frame; false encodes every frame (for comparison and benchmarks).
    bool reuse_held_frames = true;
    /// prores_ks's bit budget per macroblock; 0: its default for the picture size. Set to
    /// encode a few rows of a frame with the whole frame's budget (media/prores_rows.h).
    int prores_bits_per_mb = 0;
    /// A movie patched by appending (stages/movie_patch.h) is assembled in full instead
    /// once its dead space would pass this share of the file.
    double compact_above = 0.25;

    /// libav encoder name ("prores_aw", "prores_ks", "dnxhd", "libx264").
    const char* encoder_name() const;
    /// Pixel format the encoder is fed (e.g. "yuv422p10le").
    const char* pixel_format_name() const;
    /// True when every frame is a keyframe (packets can be reused for held frames).
    bool intra_only() const { return codec != VideoCodec::H264; }
    /// True when the segment stores one packet per drawing with the hold as its duration.
    bool one_packet_per_drawing() const { return intra_only() && reuse_held_frames; }
    std::string codec_label() const;  ///< "prores", "dnxhr", "h264"
    /// The profile the movie is written in: `profile`, or "high" for h264 (the one
    /// storyreel opens libx264 with; not a user choice).
    std::string profile_label() const;
    /// The movie's file name for an output unit: `filename` expanded, plus the extension.
    std::string movie_file_name(const std::string& unit, const std::string& stage,
                                const std::string& show) const;
    /// The reel name written in the movie's timecode track (`reel`, or the unit name),
    /// letters, digits and '_', at most 8 characters.
    std::string reel_name(const std::string& unit) const;
};

/// Reads and validates an encode stage's params; nullopt (with diagnostics) when invalid.
std::optional<EncodeSettings> parse_encode_settings(const StageParams& params,
                                                    Diagnostics& diagnostics);

class YamlFields;

/// Reports (as a problem of `fields`' "filename") a movie/list file name template that
/// uses fields other than {unit}, {stage}, {show} or could leave the output folder.
void check_filename_template(YamlFields& fields, const std::string& text);

}  // namespace storyreel
