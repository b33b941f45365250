#pragma once
// ingest: reads a panel's board with OpenImageIO into a display-referred RGB float image.

#include "pipeline/stage_registry.h"

namespace storyreel {

/// Any format OpenImageIO reads (PNG 8/16-bit, JPEG incl. CMYK, TIFF, EXR, PSD composite,
/// WebP...). Scene-linear inputs go through OIIO's colour management to sRGB; alpha is
/// composited over the show background. An unreadable file is an error naming the panel.
StageType ingest_stage_type();

}  // namespace storyreel
