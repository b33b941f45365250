#pragma once
// A file's whole content, for tests that compare outputs byte for byte.

#include <filesystem>
#include <string>

namespace storyreel::testing {

/// The bytes of `path` ("" when it cannot be read: the comparison then fails visibly).
std::string read_file(const std::filesystem::path& path);

}  // namespace storyreel::testing
