#pragma once
// conform: fits an ingested board to the show resolution, ready to encode.

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Params: `fit` letterbox (default: whole board visible, bars in the background colour)
/// or fill (covers the frame, crops the overflow); `filter` an OIIO filter name
/// (lanczos, bicubic, spline, bilinear, area; default lanczos, via swscale). Output: UINT16 RGB at
/// the show resolution, square pixels.
StageType conform_stage_type();

}  // namespace storyreel
