#pragma once
// What stat(2) says about a file: enough to know it was not written since it was hashed.
//
// Hashing every board, the temp track and a feature-length mix costs seconds on every
// build (gigabytes read). Like git's index, storyreel remembers a file's hash with its
// stamp (size, modification and change times in nanoseconds, inode) and trusts the hash
// while the stamp is the same. Any write changes the change time, which no tool can set
// back; a stamp is only recorded once it has settled (both times at least two seconds old
// when the file was hashed), so a write in the same clock tick as the hashing, on a
// filesystem with coarse timestamps, is not mistaken for no write.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

namespace storyreel {

struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    std::uint64_t inode = 0;

    bool operator==(const FileStamp&) const = default;

    /// The file's stamp now; nothing when it cannot be stat'ed.
    static std::optional<FileStamp> of(const std::filesystem::path& path);
    /// Old enough to record: no write can hide in the same clock tick as the hashing.
    bool settled() const;

    nlohmann::json to_json() const;
    /// Nothing when `json` is not a stamp.
    static std::optional<FileStamp> from_json(const nlohmann::json& json);
};

}  // namespace storyreel
