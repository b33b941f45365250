#pragma once
// The signature of a PNG board decoded without OpenImageIO: `storyreel check` with no kept
// signatures reads every board once, and through OpenImageIO that cost 2.4x what decoding
// the same PNGs costs ffmpeg (zlib's Adler-32, OIIO's scanline copies, a full image in
// memory, libpng's byte-at-a-time unfiltering). Plain boards go through PlainPngReader
// (media/plain_png_reader.h), palette, low bit depths and interlacing through libpng;
// either way rows go straight into the thumbnail sampler, the zlib stream's Adler-32 is
// not computed (a transport checksum; every chunk's CRC is still checked).

#include <filesystem>
#include <optional>

#include "pipeline/board_signature.h"
#include "pipeline/input_limits.h"

namespace storyreel {

/// The signature board_signature_of_image() gives for this board as the ingest stage reads
/// it, bit for bit, for the PNGs ingest would not colour-convert or composite: RGB, palette
/// and grey at any bit depth, interlaced or not. nullopt for everything else (not a PNG,
/// alpha or transparency, a linear gamma, outside `limits`) and for any file libpng fails
/// on: read those through the ingest stage, which reads them the build's way or says why not.
std::optional<BoardSignature> png_board_signature(const std::filesystem::path& board,
                                                  const InputLimits& limits);

}  // namespace storyreel
