#pragma once
// The checksums a delivered file is recorded with, from one read of its bytes: SHA-256 for
// SHA256SUMS and the manifest (what `sha256sum -c` checks) and xxh128 for the ASC Media Hash
// List (the hash DITs and editors' verification tools use by default); and, from the same
// read, the build's block checksum (pipeline/block_checksum.h) to check a copy against.

#include <cstdint>
#include <filesystem>
#include <string>

namespace storyreel::publish {

struct DeliveryHashes {
    std::string sha256;         ///< "sha256:<64 hex digits>"
    std::string xxh128;         ///< "xxh128:<32 hex digits>" (XXH3 128-bit, canonical big-endian)
    std::string xxh128_blocks;  ///< "xxh128-8m:<32 hex digits>"
    std::uintmax_t size = 0;

    /// Whether the file has the build's `checksum` ("xxh128:" or "xxh128-8m:").
    bool matches(const std::string& checksum) const;
};

/// Both checksums of a file, read once; throws PublishError naming the file when it cannot be read.
DeliveryHashes hash_delivered_file(const std::filesystem::path& path);

/// The hex digits of an "xxh128:<hex>" checksum (as ASC MHL writes it).
std::string xxh128_hex(const std::string& checksum);

}  // namespace storyreel::publish
