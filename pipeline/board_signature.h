#pragma once
// What the production checks need to know about a board's picture, computed once where
// boards are read for a build (the conform stage) and kept by board content.
//
// A 64-bit difference hash (dHash) finds near-duplicate drawings; the ink fraction finds
// blank placeholders; the native size finds boards upscaled to the show resolution. They
// are taken from the board as ingested, before it is fitted to the frame, so letterbox
// bars count neither as ink nor in the hash, and `storyreel check` (which reads a board
// without conforming it) computes the same values.

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"

namespace storyreel {

struct BoardSignature {
    std::uint64_t dhash = 0;  ///< 8x8 horizontal gradient signs of a 9x8 grey thumbnail
    double ink_fraction = 0;  ///< share of the picture darker than the paper (0..1)
    int width = 0;            ///< native size of the board as read
    int height = 0;
};

/// Size of the grey thumbnail board_signature_of() takes: kThumbnailSize^2 cells.
inline constexpr int kThumbnailSize = 32;

/// The signature of a board from its grey thumbnail (row-major, kThumbnailSize^2 cells of
/// 0..1 luma, each the mean of its area of the board) and its native size. Ink is every
/// cell darker than the paper (the brightest tenth of the cells) by more than 0.1 and,
/// within a cell, the cell's darkening: a thin pencil line counts for the share of the
/// cell it darkens.
BoardSignature board_signature_of(const std::vector<float>& thumbnail, int width, int height);

/// Bits that differ between two hashes.
int hamming_distance(std::uint64_t a, std::uint64_t b);

/// Reads a board and computes its signature (stages/ provides the real one: the ingest
/// stage's reading, so the values equal the conform stage's). Thread-safe; throws
/// BuildError naming the panel when the board cannot be read.
class BoardSignatureReader {
  public:
    virtual ~BoardSignatureReader() = default;
    virtual BoardSignature read(const PanelSlot& slot) const = 0;
};

/// Signatures by board content hash ("xxh128:..."), shared by the conform stage of a build
/// and the checks; kept in one JSON file between runs. Thread-safe.
class BoardSignatureStore {
  public:
    /// Loads `file` (missing or damaged: empty; an empty path: nothing is kept).
    explicit BoardSignatureStore(std::filesystem::path file = {});

    /// Tells the store each board file's content hash, so record() can take a path.
    void set_board_hashes(std::map<std::filesystem::path, std::string> hashes);
    /// Records the signature of the board at `board` (a path set_board_hashes() named).
    void record(const std::filesystem::path& board, const BoardSignature& signature);
    /// Records by content hash.
    void record_hash(const std::string& content_hash, const BoardSignature& signature);
    std::optional<BoardSignature> find(const std::string& content_hash) const;
    /// The content hash set for a board path (empty when unknown).
    std::string hash_of(const std::filesystem::path& board) const;

    /// Writes the signatures used or recorded since loading, with those already in the file
    /// for boards set_board_hashes() named (kept by another process meanwhile), atomically;
    /// never throws.
    void save() const;
    std::size_t computed() const;  ///< recorded this run (not found in the file)

  private:
    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::filesystem::path, std::string> board_hashes_;
    std::map<std::string, BoardSignature> loaded_;
    mutable std::map<std::string, BoardSignature> used_;
    std::size_t computed_ = 0;
};

}  // namespace storyreel
