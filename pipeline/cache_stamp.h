#pragma once
// What makes a folder a storyreel cache: `storyreel-cache.json` at its root (format name and
// version), written when storyreel creates the cache. Every cache command looks before it
// reads, creates or deletes anything:
//
// - a folder that does not exist, or is empty, becomes a new cache (stamp first) when a
//   build asks for it; `cache stats`/`gc` refuse it and create nothing;
// - a stamped folder is a cache (a newer format version is refused);
// - a folder without the stamp is a cache written by a release before the stamp only when
//   every file in it sits where such a cache keeps its files (objects/<xx>/<key>/ holding
//   an entry.json naming that key, tmp/<key>.<pid>.<n>/, log/<16 hex>/) and nothing is a
//   symlink: a build or `gc` adopts it by writing the stamp, `stats` reads it as it is;
// - anything else is not a cache: refused with a message naming the folder and what to do,
//   nothing read, created or deleted.

#include <filesystem>
#include <string>

namespace storyreel {

/// The stamp's file name, at the cache's root.
inline constexpr const char* kCacheStampFile = "storyreel-cache.json";
/// The format this storyreel reads and writes.
inline constexpr int kCacheFormatVersion = 1;

/// What a folder is, as far as caches go.
enum class CacheFolderKind {
    missing,       ///< nothing at that path
    empty,         ///< an empty folder
    stamped,       ///< a cache with a stamp this storyreel reads
    unstamped,     ///< every file is where a cache from before the stamp keeps it
    not_a_cache,   ///< something else: a user's folder, a file, a symlink in the layout
    newer_format,  ///< stamped by a newer storyreel
};

struct CacheFolderCheck {
    CacheFolderKind kind = CacheFolderKind::missing;
    std::string detail;       ///< not_a_cache: the first thing found that no cache holds
    std::size_t entries = 0;  ///< unstamped: how many entries it holds
};

/// Looks at `root` (following a symlink at `root` itself, none below it); changes nothing.
CacheFolderCheck inspect_cache_folder(const std::filesystem::path& root);

/// Why `root` cannot be used as a cache, or "" when it can. `creating`: a build that makes
/// a missing or empty folder a new cache (stats and gc do not).
std::string cache_folder_refusal(const std::filesystem::path& root, const CacheFolderCheck& check,
                                 bool creating);

/// Writes the stamp into `root` (atomically; a folder that is missing is created first).
void write_cache_stamp(const std::filesystem::path& root);

/// Is `entry` (a folder objects/<xx>/<name>/) a cache entry: a real folder (no symlink),
/// whose entry.json names a key stored under that name? Reads entry.json only.
bool is_cache_entry_folder(const std::filesystem::path& entry);

/// "xxh128:<hex>" -> "<hex>": the folder name of a key's entry.
std::string cache_entry_name(const std::string& key);

}  // namespace storyreel
