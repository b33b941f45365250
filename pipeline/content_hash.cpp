#include "pipeline/content_hash.h"

#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

std::string format_digest(XXH128_hash_t hash) { return format_xxh128(hash.high64, hash.low64); }

}  // namespace

std::string format_xxh128(unsigned long long high64, unsigned long long low64) {
    char text[40];
    std::snprintf(text, sizeof text, "%016llx%016llx", high64, low64);
    return std::string("xxh128:") + text;
}

struct ContentHasher::State {
    XXH3_state_t* xxh = XXH3_createState();
};

ContentHasher::ContentHasher() : state_(new State) { XXH3_128bits_reset(state_->xxh); }

ContentHasher::~ContentHasher() {
    XXH3_freeState(state_->xxh);
    delete state_;
}

ContentHasher& ContentHasher::add(std::string_view field) {
    const unsigned long long size = field.size();
    XXH3_128bits_update(state_->xxh, &size, sizeof size);
    XXH3_128bits_update(state_->xxh, field.data(), field.size());
    return *this;
}

ContentHasher& ContentHasher::add(long long value) {
    XXH3_128bits_update(state_->xxh, &value, sizeof value);
    return *this;
}

std::string ContentHasher::digest() const {
    return format_digest(XXH3_128bits_digest(state_->xxh));
}

struct StreamHasher::State {
    XXH3_state_t* xxh = XXH3_createState();
};

StreamHasher::StreamHasher() : state_(new State) { XXH3_128bits_reset(state_->xxh); }

StreamHasher::~StreamHasher() {
    XXH3_freeState(state_->xxh);
    delete state_;
}

void StreamHasher::add(const void* data, std::size_t size) {
    XXH3_128bits_update(state_->xxh, data, size);
}

std::string StreamHasher::digest() const { return format_digest(XXH3_128bits_digest(state_->xxh)); }

std::string hash_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw BuildError({{path.string(), 0, 0},
                          {},
                          "cannot read file to hash it",
                          "check that it exists and is readable"});
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        XXH3_128bits_update(state, buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    const bool failed = in.bad();
    const auto hash = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    if (failed)
        throw BuildError({{path.string(), 0, 0}, {}, "read error while hashing", "check the disk"});
    return format_digest(hash);
}

}  // namespace storyreel
