#include "publish/delivery_hash.h"

#include <openssl/evp.h>
#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "pipeline/block_checksum.h"
#include "pipeline/content_hash.h"
#include "publish/publish_error.h"

namespace storyreel::publish {

namespace {

struct DigestContextDeleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

struct XxhStateDeleter {
    void operator()(XXH3_state_t* state) const { XXH3_freeState(state); }
};

std::string hex_of(const unsigned char* bytes, unsigned int length) {
    std::string text;
    char hex[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(hex, sizeof hex, "%02x", bytes[i]);
        text += hex;
    }
    return text;
}

}  // namespace

DeliveryHashes hash_delivered_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw PublishError(path.string() +
                           ": cannot open for reading (check it exists and is readable)");
    std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> sha(EVP_MD_CTX_new());
    if (!sha || EVP_DigestInit_ex(sha.get(), EVP_sha256(), nullptr) != 1)
        throw PublishError("OpenSSL cannot start a SHA-256 digest");
    std::unique_ptr<XXH3_state_t, XxhStateDeleter> xxh(XXH3_createState());
    if (!xxh || XXH3_128bits_reset(xxh.get()) != XXH_OK)
        throw PublishError("cannot start an xxh128 digest");
    DeliveryHashes hashes;
    std::vector<BlockDigest> blocks;
    std::vector<char> buffer(kChecksumBlockSize);  // one checksum block per read
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) continue;
        EVP_DigestUpdate(sha.get(), buffer.data(), got);
        XXH3_128bits_update(xxh.get(), buffer.data(), got);
        blocks.push_back(hash_block(buffer.data(), got));
        hashes.size += got;
    }
    if (in.bad()) throw PublishError(path.string() + ": read error while checksumming");
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(sha.get(), digest, &length);
    hashes.sha256 = "sha256:" + hex_of(digest, length);
    const XXH128_hash_t whole = XXH3_128bits_digest(xxh.get());
    hashes.xxh128 = format_xxh128(whole.high64, whole.low64);
    hashes.xxh128_blocks = block_list_checksum(blocks);
    return hashes;
}

bool DeliveryHashes::matches(const std::string& checksum) const {
    return checksum == (checksum.rfind(kBlockChecksumPrefix, 0) == 0 ? xxh128_blocks : xxh128);
}

std::string xxh128_hex(const std::string& checksum) {
    const std::string prefix = "xxh128:";
    return checksum.rfind(prefix, 0) == 0 ? checksum.substr(prefix.size()) : checksum;
}

}  // namespace storyreel::publish
