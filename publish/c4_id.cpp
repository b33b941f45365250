#include "publish/c4_id.h"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <iterator>

#include "publish/publish_error.h"

namespace storyreel::publish {

namespace {

constexpr std::string_view kBase58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kC4Length = 90;

/// The 512-bit digest as a big-endian number, divided by 58 until zero, most significant
/// digit first, padded with the alphabet's zero ('1') to 88 digits.
std::string base58_of(std::array<unsigned char, 64> number) {
    std::string digits;
    bool zero = false;
    while (!zero) {
        unsigned remainder = 0;
        zero = true;
        for (auto& byte : number) {
            const unsigned value = remainder * 256 + byte;
            byte = static_cast<unsigned char>(value / 58);
            remainder = value % 58;
            if (byte != 0) zero = false;
        }
        digits.insert(digits.begin(), kBase58[remainder]);
    }
    if (digits.size() < kC4Length - 2)
        digits.insert(digits.begin(), kC4Length - 2 - digits.size(), '1');
    return "c4" + digits;
}

}  // namespace

std::string c4_id_of(std::string_view bytes) {
    std::array<unsigned char, 64> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha512(), nullptr) !=
            1 ||
        length != digest.size())
        throw PublishError("OpenSSL cannot compute a SHA-512 digest");
    return base58_of(digest);
}

std::string c4_id_of_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw PublishError(path.string() +
                           ": cannot open for reading (check it exists and is readable)");
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw PublishError(path.string() + ": read error");
    return c4_id_of(bytes);
}

}  // namespace storyreel::publish
