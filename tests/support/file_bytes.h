#pragma once
// A file's whole content, for tests that compare outputs byte for byte or edit a
// generated project; and a shell command's output, for tests that ask outside tools.

#include <filesystem>
#include <string>

namespace storyreel::testing {

/// Whether `text` holds `part`.
inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The bytes of `path` ("" when it cannot be read: the comparison then fails visibly).
std::string read_file(const std::filesystem::path& path);

/// Writes `bytes` to `path`, making its folder; throws std::runtime_error naming it when
/// it cannot.
void write_file(const std::filesystem::path& path, const std::string& bytes);

/// Replaces the first `from` in `path` with `to`; false (file unchanged) when absent.
bool replace_in_file(const std::filesystem::path& path, const std::string& from,
                     const std::string& to);

/// What `command` (run by /bin/sh) writes to stdout and stderr.
std::string shell_output(const std::string& command);

}  // namespace storyreel::testing
