#include "pipeline/board_signature.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "pipeline/atomic_file.h"
#include "pipeline/json_number.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// Area-weighted resample of a square grid of `size`^2 cells to `width` x `height`.
std::vector<double> area_resample(const std::vector<float>& grid, int size, int width, int height) {
    std::vector<double> out(static_cast<std::size_t>(width) * height, 0.0);
    const double sx = static_cast<double>(size) / width;
    const double sy = static_cast<double>(size) / height;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            double sum = 0, weight = 0;
            const double x0 = x * sx, x1 = (x + 1) * sx, y0 = y * sy, y1 = (y + 1) * sy;
            for (int gy = static_cast<int>(y0); gy < std::min<double>(size, y1); ++gy)
                for (int gx = static_cast<int>(x0); gx < std::min<double>(size, x1); ++gx) {
                    const double w = (std::min<double>(gx + 1, x1) - std::max<double>(gx, x0)) *
                                     (std::min<double>(gy + 1, y1) - std::max<double>(gy, y0));
                    if (w <= 0) continue;
                    sum += w * grid[static_cast<std::size_t>(gy) * size + gx];
                    weight += w;
                }
            out[static_cast<std::size_t>(y) * width + x] = weight > 0 ? sum / weight : 0;
        }
    return out;
}

}  // namespace

BoardSignature board_signature_of(const std::vector<float>& thumbnail, int width, int height) {
    BoardSignature signature;
    signature.width = width;
    signature.height = height;
    const std::size_t cells = static_cast<std::size_t>(kThumbnailSize) * kThumbnailSize;
    if (thumbnail.size() != cells) return signature;
    const std::vector<double> small = area_resample(thumbnail, kThumbnailSize, 9, 8);
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            if (small[y * 9 + x] > small[y * 9 + x + 1] + 1e-6)
                signature.dhash |= std::uint64_t{1} << (y * 8 + x);
    std::vector<float> sorted = thumbnail;
    const std::size_t at = cells * 9 / 10;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(at),
                     sorted.end());
    const double paper = std::max(1e-3f, sorted[at]);
    double ink = 0;
    for (float luma : thumbnail) {
        const double darkening = (paper - luma) / paper;
        if (darkening > 0.01) ink += std::min(1.0, darkening);
    }
    signature.ink_fraction = ink / static_cast<double>(cells);
    return signature;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

BoardSignatureStore::BoardSignatureStore(fs::path file) : file_(std::move(file)) {
    if (file_.empty()) return;
    std::ifstream in(file_);
    if (!in) return;
    try {
        const auto document = nlohmann::json::parse(in);
        if (json_integer_or(document, "version", 0, 0, 1000) != 1) return;
        for (const auto& [hash, entry] : document.at("boards").items())
            loaded_[hash] =
                BoardSignature{std::stoull(entry.at("dhash").get<std::string>(), nullptr, 16),
                               entry.at("ink").get<double>(),
                               static_cast<int>(json_integer_at(entry, "width", 1, 1 << 30)),
                               static_cast<int>(json_integer_at(entry, "height", 1, 1 << 30))};
    } catch (const std::exception&) {
        loaded_.clear();  // a damaged file only costs computing them again
    }
}

void BoardSignatureStore::set_board_hashes(std::map<fs::path, std::string> hashes) {
    std::lock_guard lock(mutex_);
    board_hashes_ = std::move(hashes);
}

void BoardSignatureStore::record(const fs::path& board, const BoardSignature& signature) {
    const std::string hash = hash_of(board);
    if (!hash.empty()) record_hash(hash, signature);
}

void BoardSignatureStore::record_hash(const std::string& content_hash,
                                      const BoardSignature& signature) {
    std::lock_guard lock(mutex_);
    if (!used_.count(content_hash) && !loaded_.count(content_hash)) ++computed_;
    used_[content_hash] = signature;
}

std::optional<BoardSignature> BoardSignatureStore::find(const std::string& content_hash) const {
    std::lock_guard lock(mutex_);
    if (auto it = used_.find(content_hash); it != used_.end()) return it->second;
    if (auto it = loaded_.find(content_hash); it != loaded_.end()) {
        used_[content_hash] = it->second;
        return it->second;
    }
    return std::nullopt;
}

std::string BoardSignatureStore::hash_of(const fs::path& board) const {
    std::lock_guard lock(mutex_);
    auto it = board_hashes_.find(board);
    return it == board_hashes_.end() ? std::string() : it->second;
}

std::size_t BoardSignatureStore::computed() const {
    std::lock_guard lock(mutex_);
    return computed_;
}

void BoardSignatureStore::save() const {
    if (file_.empty()) return;
    try {
        // Merged with what is on disk now: farm shards of one project save side by side.
        nlohmann::json boards = nlohmann::json::object();
        {
            const BoardSignatureStore on_disk(file_);
            std::lock_guard lock(mutex_);
            std::set<std::string> wanted;
            for (const auto& [board, hash] : board_hashes_) wanted.insert(hash);
            std::map<std::string, BoardSignature> all;
            for (const auto& [hash, signature] : on_disk.loaded_)
                if (wanted.count(hash)) all[hash] = signature;
            for (const auto& [hash, signature] : used_) all[hash] = signature;
            for (const auto& [hash, signature] : all) {
                char hex[17];
                std::snprintf(hex, sizeof hex, "%016llx",
                              static_cast<unsigned long long>(signature.dhash));
                boards[hash] = {{"dhash", hex},
                                {"ink", signature.ink_fraction},
                                {"width", signature.width},
                                {"height", signature.height}};
            }
        }
        std::error_code error;
        fs::create_directories(file_.parent_path(), error);
        write_file_atomically(file_,
                              nlohmann::json{{"version", 1}, {"boards", boards}}.dump() + "\n");
    } catch (const std::exception&) {
        // Without the file the next run computes the signatures again; nothing is lost.
    }
}

}  // namespace storyreel
