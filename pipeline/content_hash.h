#pragma once
// Content hashes (XXH3-128) of files and of text, written "xxh128:<32 hex digits>".

#include <filesystem>
#include <string>
#include <string_view>

namespace storyreel {

/// Hash of a file's bytes; throws BuildError naming the file when it cannot be read.
std::string hash_file(const std::filesystem::path& path);

/// "xxh128:<hex>" for a digest computed elsewhere (a file hashed while it was written).
std::string format_xxh128(unsigned long long high64, unsigned long long low64);

/// Incremental hash of values that determine an output (used for fingerprints and keys).
class ContentHasher {
  public:
    ContentHasher();
    ~ContentHasher();
    ContentHasher(const ContentHasher&) = delete;
    ContentHasher& operator=(const ContentHasher&) = delete;

    /// Adds a length-prefixed field, so ("ab","c") and ("a","bc") differ.
    ContentHasher& add(std::string_view field);
    ContentHasher& add(long long value);
    /// "xxh128:<hex>"
    std::string digest() const;

  private:
    struct State;
    State* state_;
};

}  // namespace storyreel
