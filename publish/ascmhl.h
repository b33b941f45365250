#pragma once
// ASC Media Hash List v2.0 (urn:ASC:MHL:v2.0): the record DITs and editors verify media
// transfers with. A folder's history lives in its `ascmhl/` sub-folder: one generation file
// per hashing session (`NNNN_<folder>_<YYYY-MM-DD_HHMMSS>Z.mhl`) and `ascmhl_chain.xml`,
// which lists every generation with the C4 ID of its bytes, so a changed or missing
// generation is found too. storyreel writes one generation for each published version and
// appends one each time `pull` delivers files into an editor's folder.
//
// Files are hashed with xxh128 (ASC MHL's default). Generations are written by storyreel
// from hashes it computed while copying (no second read of a movie).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::publish {

/// One file of a generation.
struct MhlHash {
    std::string path;  ///< relative to the folder, '/'-separated
    std::uintmax_t size = 0;
    std::string modified;             ///< the file's mtime, ISO 8601 UTC
    std::string xxh128;               ///< 32 hex digits
    std::string action = "original";  ///< "original" (first hashed here) or "verified"
    std::string hashed_at;            ///< ISO 8601 UTC
};

/// One hashing session over a folder.
struct MhlGeneration {
    int number = 0;                    ///< sequence number in the chain, from 1
    std::string file;                  ///< generation file name inside ascmhl/
    std::string process = "in-place";  ///< "in-place" (hashed where it lies) or "transfer" (a copy)
    std::string comment;
    std::vector<MhlHash> hashes;
    std::string c4;  ///< read back: the C4 ID the chain records for the generation file
};

/// The entry for `file` (inside `folder`) whose bytes hash to `xxh128` ("xxh128:<hex>" or
/// hex), with its size and mtime from the file system.
MhlHash mhl_hash_of(const std::filesystem::path& folder, const std::filesystem::path& file,
                    const std::string& xxh128, const std::string& action = "original");

/// Appends `generation` (its number and file name are chosen here) to `folder`'s history,
/// creating `ascmhl/` on first use: the generation file is written first, then the chain
/// is replaced atomically, so a kill leaves the previous chain intact. `folder_name` names
/// the folder in the generation's file name (the folder's final name when it is being
/// staged). Returns the generation as written. Throws PublishError naming the file.
MhlGeneration append_mhl_generation(const std::filesystem::path& folder,
                                    const std::string& folder_name, MhlGeneration generation);

/// The generations of `folder`'s history in chain order (none when it has no ascmhl/).
/// Throws PublishError naming the file when the chain or a generation cannot be read.
std::vector<MhlGeneration> read_mhl_history(const std::filesystem::path& folder);

/// What checking a folder against its history found.
struct MhlVerification {
    std::size_t generations = 0;
    std::size_t files_checked = 0;
    std::vector<std::string> problems;  ///< one sentence each, naming the file
    bool ok() const { return problems.empty() && generations > 0; }
};

/// Checks every generation file against the C4 ID the chain records, and every file the
/// history lists against its newest recorded xxh128 (a file pulled again in a later
/// version is checked against that version's hash). Files the history does not list are
/// not reported.
MhlVerification verify_mhl_history(const std::filesystem::path& folder);

}  // namespace storyreel::publish
