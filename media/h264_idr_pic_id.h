#pragma once
// The idr_pic_id of an IDR access unit, read and rewritten.
//
// H.264 7.4.3: when two consecutive access units in decoding order are both IDR access
// units, their idr_pic_id must differ (a decoder tells the second picture from a repeated
// slice of the first by it). libx264 alternates the id between the IDRs it writes, but a
// drawing's IDR repeated byte for byte as a seek keyframe of its hold, or the first IDR of
// a shot's segment (every new encoder starts again at 0) after a segment that ended on an
// IDR, may follow an IDR with the same id. The rewrite changes only that field: the slice
// header's other fields and the slice data are copied (CAVLC bits shifted, CABAC data
// re-aligned whole), so the access unit decodes to the same picture.

#include <cstdint>
#include <span>
#include <vector>

#include "media/h264_skip_frames.h"

namespace storyreel {

/// The idr_pic_id of the access unit's first IDR slice, or -1 when it holds none.
/// Throws BuildError on a slice header it cannot read.
int h264_idr_pic_id(std::span<const std::uint8_t> access_unit, const H264StreamParams& params);

/// The access unit with `idr_pic_id` (0..65535) in every IDR slice; its other NAL units are
/// copied. Annex B units are written after 4-byte start codes, length-prefixed ones with
/// `params.nal_length_size`. Throws BuildError on an IDR slice it cannot rewrite (slice
/// types other than I).
std::vector<std::uint8_t> h264_with_idr_pic_id(std::span<const std::uint8_t> access_unit,
                                               const H264StreamParams& params, int idr_pic_id);

}  // namespace storyreel
