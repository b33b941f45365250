#pragma once
// Reading and rewriting the boxes (atoms) of a QuickTime / ISO base media file, as much as
// patching a movie by appending needs (stages/movie_patch.h).
//
// A MOV is a list of top-level boxes: `ftyp`, `wide`/`free` padding, one or more `mdat`
// (the samples' bytes) and one `moov` (the header: tracks and their sample tables, which
// say where each sample's bytes lie, in any `mdat`). A box starts with a 32-bit big-endian
// size and a four-letter type; size 1 means a 64-bit size follows the type.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace storyreel {

/// One box: where it starts in the file (or in its parent), its header's length and its
/// whole size (header included).
struct MovBox {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint32_t header = 8;
    std::array<char, 4> type{};
    bool is(const char* four) const { return std::string(type.data(), 4) == four; }
};

/// The top-level boxes of an open file of `file_size` bytes, in order. Nothing (and
/// `why_not` says why) unless they cover the file exactly: a box running to the end of the
/// file (size 0) or past it, or bytes after the last box, mean the file is not one this
/// code can safely append to.
std::optional<std::vector<MovBox>> read_top_level_boxes(int fd, std::uint64_t file_size,
                                                        std::string& why_not);

/// The box header of a box of `payload` bytes of `type` (8 bytes, or 16 with a 64-bit size
/// when it needs one).
std::vector<unsigned char> mov_box_header(const char* type, std::uint64_t payload);

/// Where each sample of a track lies, in sample order.
struct SampleLocations {
    std::vector<std::uint64_t> offsets;
    std::vector<std::uint32_t> sizes;
};

/// The `moov` box (its whole bytes) with its one video track's sample-to-chunk (`stsc`),
/// sizes (`stsz`) and chunk offsets (`stco`/`co64`) replaced so that sample i is at
/// `samples.offsets[i]` (one sample per chunk); every other box (timing, the audio and
/// timecode tracks, metadata) is kept byte for byte. Nothing (and `why_not`) when the
/// `moov` is not one this code understands: no or several video tracks, another sample
/// count, several sample descriptions.
std::optional<std::vector<unsigned char>> moov_with_video_samples(
    const std::vector<unsigned char>& moov, const SampleLocations& samples, std::string& why_not);

}  // namespace storyreel
