#pragma once
// Checksums of movies as a list of block hashes: "xxh128-8m:<32 hex digits>".
//
// A whole-file XXH3-128 ("xxh128:", content_hash.h) has to read every byte again whenever
// any byte changes. A movie's checksum is instead the XXH3-128 of the XXH3-128 digests of
// its 8 MiB blocks, in order (each digest in XXH's canonical big-endian form). Each block
// is hashed on its own, so a movie written in blocks is hashed as it goes, a movie patched
// in place is re-hashed only in the blocks it changed (stages/movie_patch.h), and a copy
// is verified by hashing its blocks in parallel. It is still a checksum of the bytes
// alone: any two files with the same bytes have the same one.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel {

constexpr std::size_t kChecksumBlockSize = std::size_t{8} << 20;
constexpr std::string_view kBlockChecksumPrefix = "xxh128-8m:";

/// XXH3-128 of one block.
struct BlockDigest {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    bool operator==(const BlockDigest&) const = default;
};

BlockDigest hash_block(const void* data, std::size_t size);

/// Blocks a file of `size` bytes has (the last one may be short).
std::size_t block_count(std::uint64_t size);

/// "xxh128-8m:<hex>" of a file whose blocks hash to `blocks`.
std::string block_list_checksum(const std::vector<BlockDigest>& blocks);

/// The digests of every block of the file, read and hashed in parallel. Throws BuildError
/// naming the file when it cannot be read.
std::vector<BlockDigest> hash_file_blocks(const std::filesystem::path& path);

/// The file's checksum in the scheme `like` is written in: "xxh128-8m:" hashes blocks,
/// anything else the whole file ("xxh128:"). For checking a copy against a record.
std::string file_checksum_like(const std::filesystem::path& path, const std::string& like);

/// Reads exactly `size` bytes at `offset` of an open file: 0, or an errno (EIO when the
/// file ends first).
int read_exactly(int fd, unsigned char* data, std::size_t size, std::uint64_t offset);

/// Writes exactly `size` bytes at `offset` of an open file: 0, or an errno (ENOSPC when
/// nothing more can be written).
int write_exactly(int fd, const unsigned char* data, std::size_t size, std::uint64_t offset);

/// Digests as one hex string (32 digits each), for a build log; and back (nothing when
/// the text is not such a list).
std::string digests_to_hex(const std::vector<BlockDigest>& blocks);
std::optional<std::vector<BlockDigest>> digests_from_hex(std::string_view text);

}  // namespace storyreel
