#include "pipeline/block_checksum.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

[[noreturn]] void fail_to_read(const std::filesystem::path& path, int error) {
    throw BuildError({{path.string(), 0, 0},
                      {},
                      std::string("cannot read file to hash it: ") + std::strerror(error),
                      "check that it exists and is readable"});
}

}  // namespace

int read_exactly(int fd, unsigned char* data, std::size_t size, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(fd, data + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return EIO;  // the file is shorter than expected
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

int write_exactly(int fd, const unsigned char* data, std::size_t size, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return ENOSPC;
        done += static_cast<std::size_t>(n);
    }
    return 0;
}

BlockDigest hash_block(const void* data, std::size_t size) {
    const XXH128_hash_t hash = XXH3_128bits(data, size);
    return {hash.high64, hash.low64};
}

std::size_t block_count(std::uint64_t size) {
    return static_cast<std::size_t>((size + kChecksumBlockSize - 1) / kChecksumBlockSize);
}

std::string block_list_checksum(const std::vector<BlockDigest>& blocks) {
    std::vector<XXH128_canonical_t> canonical(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i)
        XXH128_canonicalFromHash(&canonical[i], XXH128_hash_t{blocks[i].low, blocks[i].high});
    const XXH128_hash_t hash =
        XXH3_128bits(canonical.data(), canonical.size() * sizeof(XXH128_canonical_t));
    return std::string(kBlockChecksumPrefix) + format_xxh128(hash.high64, hash.low64).substr(7);
}

std::vector<BlockDigest> hash_file_blocks(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail_to_read(path, errno);
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        const int error = errno;
        ::close(fd);
        fail_to_read(path, error);
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    const auto size = static_cast<std::uint64_t>(status.st_size);
    std::vector<BlockDigest> blocks(block_count(size));
    std::atomic<int> error{0};
    tbb::enumerable_thread_specific<std::vector<unsigned char>> buffers(
        [] { return std::vector<unsigned char>(kChecksumBlockSize); });
    tbb::parallel_for(std::size_t{0}, blocks.size(), [&](std::size_t i) {
        if (error.load()) return;
        const std::uint64_t offset = std::uint64_t{i} * kChecksumBlockSize;
        const std::size_t length =
            static_cast<std::size_t>(std::min<std::uint64_t>(kChecksumBlockSize, size - offset));
        auto& buffer = buffers.local();
        if (const int failed = read_exactly(fd, buffer.data(), length, offset)) {
            error.store(failed);
            return;
        }
        blocks[i] = hash_block(buffer.data(), length);
    });
    ::close(fd);
    if (const int failed = error.load()) fail_to_read(path, failed);
    return blocks;
}

std::string file_checksum_like(const std::filesystem::path& path, const std::string& like) {
    if (like.rfind(kBlockChecksumPrefix, 0) == 0)
        return block_list_checksum(hash_file_blocks(path));
    return hash_file(path);
}

std::string digests_to_hex(const std::vector<BlockDigest>& blocks) {
    std::string text;
    text.reserve(blocks.size() * 32);
    char digits[40];
    for (const auto& block : blocks) {
        std::snprintf(digits, sizeof digits, "%016llx%016llx",
                      static_cast<unsigned long long>(block.high),
                      static_cast<unsigned long long>(block.low));
        text += digits;
    }
    return text;
}

std::optional<std::vector<BlockDigest>> digests_from_hex(std::string_view text) {
    if (text.size() % 32 != 0) return std::nullopt;
    const auto parse = [](std::string_view digits) -> std::optional<std::uint64_t> {
        std::uint64_t value = 0;
        for (const char c : digits) {
            int nibble;
            if (c >= '0' && c <= '9')
                nibble = c - '0';
            else if (c >= 'a' && c <= 'f')
                nibble = c - 'a' + 10;
            else
                return std::nullopt;
            value = value << 4 | static_cast<std::uint64_t>(nibble);
        }
        return value;
    };
    std::vector<BlockDigest> blocks;
    blocks.reserve(text.size() / 32);
    for (std::size_t at = 0; at < text.size(); at += 32) {
        const auto high = parse(text.substr(at, 16)), low = parse(text.substr(at + 16, 16));
        if (!high || !low) return std::nullopt;
        blocks.push_back({*high, *low});
    }
    return blocks;
}

}  // namespace storyreel
