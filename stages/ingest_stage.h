#pragma once
// ingest: reads a panel's board with OpenImageIO into a display-referred RGB float image.

#include <OpenImageIO/imagebuf.h>

#include <filesystem>
#include <optional>

#include "pipeline/input_limits.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

/// Any format OpenImageIO reads (PNG 8/16-bit, JPEG incl. CMYK, TIFF, EXR, PSD composite,
/// WebP...). Scene-linear inputs go through OIIO's colour management to sRGB; alpha is
/// composited over the show background. An unreadable file is an error naming the panel.
StageType ingest_stage_type();

/// A board the ingest stage passes through unchanged (plain 8-bit RGB: no alpha, not
/// scene-linear), read as its 8-bit codes, without the widening to 16 bits the encoders
/// take: what `storyreel check` needs for a signature. nullopt for every other board, and
/// for one that cannot be opened or that `limits` refuse: read those through the stage,
/// which says why.
std::optional<OIIO::ImageBuf> read_plain_8bit_board(const std::filesystem::path& board,
                                                    const InputLimits& limits);

}  // namespace storyreel
