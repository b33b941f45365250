#pragma once
// encode: writes one movie per output unit with libav (ProRes, DNxHR in MOV; H.264 in MP4).

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Takes "image" (conformed, show resolution) and optionally "audio". Intra-only codecs
/// encode each panel once and write its packet for every held frame; H.264 encodes
/// every frame. MOV gets 24-bit PCM, MP4 AAC with +faststart; both get a timecode track
/// at the unit's start timecode, a reel name and BT.709 colour tags. Movies are written
/// under a temporary name and renamed into place only when complete.
StageType encode_stage_type();

}  // namespace storyreel
