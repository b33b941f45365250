#pragma once
// C4 IDs (SMPTE ST 2114): the SHA-512 of a file's bytes written in base 58 behind "c4",
// 90 characters. ASC MHL uses them to reference generation files from its chain file.

#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel::publish {

/// The C4 ID of some bytes.
std::string c4_id_of(std::string_view bytes);

/// The C4 ID of a file's bytes; throws PublishError naming the file when it cannot be read.
std::string c4_id_of_file(const std::filesystem::path& path);

}  // namespace storyreel::publish
