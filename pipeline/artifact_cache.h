#pragma once
// A content-addressed cache of build artifacts (encoded shot segments), shareable
// between builds, processes and machines.
//
// An entry is a folder `objects/<k0k1>/<key>/` holding the artifact and `entry.json`
// (its size and content hash). It is written complete in `tmp/` and renamed into place;
// renaming a folder onto an existing one fails, so when two writers race, the first
// complete entry wins and the other is dropped: nobody ever sees half an entry. Every
// use verifies size and hash; a damaged entry is moved aside and rebuilt, never used.
// The entry's `entry.json` modification time records its last use, for LRU trimming.
//
// The folder is a cache only with its stamp (cache_stamp.h), checked before anything is
// read, created or deleted; trimming removes only folders it identifies as its own entries
// (objects/<xx>/<key>/ whose entry.json names that key) and its own leftovers in tmp/, and
// follows no symlink.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace storyreel {

struct CacheStats {
    std::size_t entries = 0;
    std::uintmax_t bytes = 0;
    std::optional<std::chrono::system_clock::time_point> oldest_use;
    std::optional<std::chrono::system_clock::time_point> newest_use;
};

struct GarbageCollection {
    std::size_t removed_entries = 0;
    std::uintmax_t removed_bytes = 0;
    CacheStats remaining;
};

/// An entry being written; becomes visible only through ArtifactCache::publish().
struct PendingEntry {
    std::string key;
    std::filesystem::path folder;    ///< private folder under tmp/
    std::filesystem::path artifact;  ///< where to write the artifact
};

/// An artifact in the cache with what its entry recorded: a caller listing it (a review
/// page's thumbnail in build.json) takes its hash from here instead of reading it again.
struct CachedArtifact {
    std::filesystem::path path;
    std::uintmax_t bytes = 0;
    std::string hash;  ///< "xxh128:<hex>", verified as find() verifies it
};

/// What a command opens a cache for (cache_stamp.h says what each accepts).
enum class CacheAccess {
    build,    ///< creates a missing or empty folder, adopts an unstamped cache
    inspect,  ///< `cache stats`: an existing cache only; writes nothing
    trim,     ///< `cache gc`: an existing cache only; adopts an unstamped one holding entries
};

class ArtifactCache {
  public:
    /// Opens the cache at `root` for `access`. Throws ValidationError (nothing created or
    /// changed) when `root` is not a cache it may use, BuildError when it cannot create it.
    explicit ArtifactCache(std::filesystem::path root, CacheAccess access = CacheAccess::build);

    const std::filesystem::path& root() const { return root_; }

    /// The artifact for `key`, when present and intact; marks it used. When an entry is
    /// present but damaged (wrong size or hash), it is removed, `damage` says why, and
    /// nullopt is returned.
    std::optional<std::filesystem::path> find(const std::string& key,
                                              std::string* damage = nullptr);
    /// find(), with the entry's size and hash.
    std::optional<CachedArtifact> find_artifact(const std::string& key,
                                                std::string* damage = nullptr);

    /// Starts an entry: write the artifact at `artifact`, then publish().
    PendingEntry begin(const std::string& key, const std::string& artifact_name);
    /// Hashes the artifact, records it and moves the entry into place. If another writer
    /// published the same key first, that entry is kept and ours dropped. Returns the
    /// path of the published artifact.
    std::filesystem::path publish(const PendingEntry& entry);
    /// publish(), with the published entry's size and hash (the other writer's when it won).
    CachedArtifact publish_artifact(const PendingEntry& entry);
    /// Drops an unpublished entry; never throws.
    void discard(const PendingEntry& entry) noexcept;

    CacheStats stats() const;
    /// Removes least recently used entries until the cache holds at most `max_bytes`, and
    /// every entry unused for longer than `max_age` (when given).
    GarbageCollection collect_garbage(std::uintmax_t max_bytes,
                                      std::optional<std::chrono::seconds> max_age);

    /// Where a key's entry lives (present or not).
    std::filesystem::path entry_folder(const std::string& key) const;

  private:
    struct Entry {
        std::filesystem::path folder;
        std::uintmax_t bytes = 0;
        std::chrono::system_clock::time_point last_use;
    };
    std::vector<Entry> list_entries() const;
    void remove_entry(const std::filesystem::path& folder) noexcept;
    void remove_stale_pending() noexcept;

    std::filesystem::path root_;
};

}  // namespace storyreel
