#pragma once
// Rendering one frame of a camera move: the conformed panel panned, zoomed and rotated,
// resampled with a Lanczos-3 filter (OpenImageIO warp). Frames are made one at a time,
// on demand, so a move never sits in memory as a whole.

#include <OpenImageIO/imagebuf.h>

#include "pipeline/look.h"

namespace storyreel {

/// The panel seen through the camera at `key`: the key's centre lands on the frame
/// centre, scaled by its zoom and turned clockwise by its rotation. Outside the panel is
/// black. `panel` is UINT16 RGB at the show resolution; so is the result.
OIIO::ImageBuf view_through_camera(const OIIO::ImageBuf& panel, const CameraKey& key);

}  // namespace storyreel
