#pragma once
// Content hashes (XXH3-128) of files and of text, written "xxh128:<32 hex digits>".

#include <cstddef>
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

/// hash_file() of bytes that go by (a file being copied): the digest of what was added so
/// far can be taken at any point, to check a copied prefix against its record.
class StreamHasher {
  public:
    StreamHasher();
    ~StreamHasher();
    StreamHasher(const StreamHasher&) = delete;
    StreamHasher& operator=(const StreamHasher&) = delete;

    void add(const void* data, std::size_t size);
    /// "xxh128:<hex>", as hash_file() gives for a file of the bytes added so far.
    std::string digest() const;

  private:
    struct State;
    State* state_;
};

}  // namespace storyreel
