#pragma once
// SHA-256 checksums of published files, written "sha256:<64 hex digits>" (what editorial
// tools and `sha256sum` can check independently of storyreel).

#include <filesystem>
#include <string>

namespace storyreel::publish {

/// Checksum of a file's bytes; throws PublishError naming the file when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

/// The 64 hex digits of a "sha256:<hex>" checksum (for writing SHA256SUMS files).
std::string sha256_hex(const std::string& checksum);

}  // namespace storyreel::publish
