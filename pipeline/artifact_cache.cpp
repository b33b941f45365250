#include "pipeline/artifact_cache.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pipeline/atomic_file.h"
#include "pipeline/cache_stamp.h"
#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"
#include "pipeline/file_stamp.h"
#include "pipeline/json_number.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

constexpr const char* kEntryRecord = "entry.json";
/// The artifact's stamp when its content last matched the recorded hash (file_stamp.h):
/// while it is unchanged, a multi-gigabyte mix is not read again to be verified.
constexpr const char* kVerifiedStamp = "verified.json";
std::atomic<unsigned> entry_counter{0};

/// Keys look like "xxh128:<hex>"; folders use the hex part.
std::string key_folder_name(const std::string& key) { return cache_entry_name(key); }

bool is_real_directory(const fs::path& path) {
    std::error_code error;
    return fs::symlink_status(path, error).type() == fs::file_type::directory;
}

/// Folders begin() and remove_entry() leave in tmp/: "<key>.<pid>.<n>", "trash.<key>.<pid>.<n>".
bool is_pending_folder_name(const std::string& name) {
    const auto dots = std::count(name.begin(), name.end(), '.');
    return (dots == 2 || (dots == 3 && name.rfind("trash.", 0) == 0)) &&
           name.find_first_not_of(
               "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.") ==
               std::string::npos;
}

[[noreturn]] void refuse(const fs::path& root, const std::string& message) {
    Diagnostics problems;
    problems.add({root.string(), 0, 0}, "cache", message);
    throw ValidationError(problems);
}

std::chrono::system_clock::time_point modification_time(const fs::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return {};
    return std::chrono::system_clock::from_time_t(info.st_mtim.tv_sec);
}

std::optional<FileStamp> read_stamp(const fs::path& file) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    try {
        return FileStamp::from_json(nlohmann::json::parse(in));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

/// Entries are published without an fsync (publish()); the first time one is trusted by
/// its stamp alone, its bytes must be on disk, or a power cut could leave the stamp
/// vouching for lost content. One fdatasync per entry, at its first reuse.
bool reached_disk(const fs::path& artifact) {
    const int fd = ::open(artifact.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool synced = ::fdatasync(fd) == 0;
    ::close(fd);
    return synced;
}

/// Does the artifact hold the bytes its entry recorded? Trusted without reading while its
/// stamp is the one recorded the last time it was read and matched.
bool content_verified(const fs::path& folder, const fs::path& artifact, const std::string& hash) {
    const auto before = FileStamp::of(artifact);
    if (before && read_stamp(folder / kVerifiedStamp) == before) return true;
    if (hash_file(artifact) != hash) return false;
    if (before && before->settled() && FileStamp::of(artifact) == before &&
        reached_disk(artifact)) {
        try {
            write_file_atomically(folder / kVerifiedStamp, before->to_json().dump() + "\n");
        } catch (const std::exception&) {
            // unrecorded: it is read again next time
        }
    }
    return true;
}

std::uintmax_t folder_bytes(const fs::path& folder) {
    std::uintmax_t bytes = 0;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder, error))
        if (item.is_regular_file(error)) bytes += item.file_size(error);
    return bytes;
}

}  // namespace

ArtifactCache::ArtifactCache(fs::path root, CacheAccess access)
    : root_(fs::absolute(root).lexically_normal()) {
    const CacheFolderCheck check = inspect_cache_folder(root_);
    if (const std::string refusal =
            cache_folder_refusal(root_, check, access == CacheAccess::build);
        !refusal.empty())
        refuse(root_, refusal);
    if (access == CacheAccess::inspect) return;
    const bool adopt = check.kind == CacheFolderKind::unstamped &&
                       (access == CacheAccess::build || check.entries > 0);
    const bool create =
        check.kind == CacheFolderKind::missing || check.kind == CacheFolderKind::empty;
    try {
        if (create || adopt) write_cache_stamp(root_);  // before anything else is written
    } catch (const std::exception& error) {
        throw BuildError({{root_.string(), 0, 0},
                          "cache",
                          std::string("cannot create the cache folder: ") + error.what(),
                          "choose a writable folder with --cache"});
    }
    if (adopt)
        spdlog::info(
            "{}: a cache written by an earlier storyreel (every file in it is a cache entry): "
            "stamped {}",
            root_.string(), kCacheStampFile);
    if (access != CacheAccess::build) return;
    std::error_code error;
    fs::create_directories(root_ / "objects", error);
    if (!error) fs::create_directories(root_ / "tmp", error);
    if (error)
        throw BuildError({{root_.string(), 0, 0},
                          "cache",
                          "cannot create the cache folder: " + error.message(),
                          "choose a writable folder with --cache"});
}

fs::path ArtifactCache::entry_folder(const std::string& key) const {
    const std::string name = key_folder_name(key);
    return root_ / "objects" / name.substr(0, 2) / name;
}

std::optional<fs::path> ArtifactCache::find(const std::string& key, std::string* damage) {
    if (auto found = find_artifact(key, damage)) return std::move(found->path);
    return std::nullopt;
}

std::optional<CachedArtifact> ArtifactCache::find_artifact(const std::string& key,
                                                           std::string* damage) {
    const fs::path folder = entry_folder(key);
    const fs::path record_path = folder / kEntryRecord;
    std::ifstream in(record_path);
    if (!in) return std::nullopt;
    std::string problem;
    CachedArtifact found;
    try {
        const auto record = nlohmann::json::parse(in);
        found.path = folder / record.at("artifact").get<std::string>();
        found.bytes = json_unsigned_at(record, "bytes");
        found.hash = record.at("hash").get<std::string>();
        std::error_code error;
        const auto size = fs::file_size(found.path, error);
        if (error)
            problem = "artifact missing";
        else if (size != found.bytes)
            problem = "artifact is " + std::to_string(size) + " bytes, recorded " +
                      std::to_string(found.bytes) + " (truncated?)";
        else if (!content_verified(folder, found.path, found.hash))
            problem = "artifact content does not match its recorded hash";
    } catch (const std::exception& error) {
        problem = std::string("unreadable entry record: ") + error.what();
    }
    if (!problem.empty()) {
        remove_entry(folder);
        if (damage) *damage = problem;
        return std::nullopt;
    }
    ::utimensat(AT_FDCWD, record_path.c_str(), nullptr, 0);  // mark used (LRU)
    return found;
}

PendingEntry ArtifactCache::begin(const std::string& key, const std::string& artifact_name) {
    PendingEntry entry;
    entry.key = key;
    entry.folder = root_ / "tmp" /
                   (key_folder_name(key) + "." + std::to_string(::getpid()) + "." +
                    std::to_string(entry_counter++));
    std::error_code error;
    fs::create_directories(entry.folder, error);
    if (error)
        throw BuildError({{entry.folder.string(), 0, 0},
                          "cache",
                          "cannot create a temporary entry: " + error.message(),
                          "check free space and permissions of the cache folder"});
    entry.artifact = entry.folder / artifact_name;
    return entry;
}

fs::path ArtifactCache::publish(const PendingEntry& entry) { return publish_artifact(entry).path; }

CachedArtifact ArtifactCache::publish_artifact(const PendingEntry& entry) {
    std::error_code error;
    const auto bytes = fs::file_size(entry.artifact, error);
    if (error)
        throw BuildError(
            {{entry.artifact.string(), 0, 0}, "cache", "artifact was not written", {}});
    CachedArtifact published{{}, bytes, hash_file(entry.artifact)};
    const nlohmann::json record = {{"key", entry.key},
                                   {"artifact", entry.artifact.filename().string()},
                                   {"bytes", bytes},
                                   {"hash", published.hash}};
    {
        std::ofstream out(entry.folder / kEntryRecord);
        out << record.dump(2) << '\n';
        if (!out)
            throw BuildError({{entry.folder.string(), 0, 0},
                              "cache",
                              "cannot write entry record",
                              "check free space of the cache folder"});
    }
    // No fsync before the rename: until its first reuse has verified its hash (and synced
    // it, content_verified()), every use reads and checks it, so an entry whose bytes a
    // power cut lost is rebuilt, never used (ccache does the same). An fsync here waited
    // ~180 ms per shot behind the movie's direct writes, in the serial part of the build.
    const fs::path target = entry_folder(entry.key);
    fs::create_directories(target.parent_path(), error);
    if (::rename(entry.folder.c_str(), target.c_str()) != 0) {
        // Another writer published this key first (ENOTEMPTY/EEXIST): keep theirs.
        discard(entry);
        std::ifstream theirs(target / kEntryRecord);
        if (!theirs)
            throw BuildError({{target.string(), 0, 0},
                              "cache",
                              "cannot publish cache entry",
                              "check permissions of the cache folder"});
        const auto record = nlohmann::json::parse(theirs, nullptr, false);
        if (record.is_object()) {
            if (const auto it = record.find("bytes"); it != record.end())
                published.bytes = json_unsigned(*it).value_or(published.bytes);
            if (const auto it = record.find("hash"); it != record.end() && it->is_string())
                published.hash = it->get<std::string>();
        }
    }
    published.path = target / entry.artifact.filename();
    return published;
}

void ArtifactCache::discard(const PendingEntry& entry) noexcept {
    std::error_code ignored;
    fs::remove_all(entry.folder, ignored);
}

void ArtifactCache::remove_entry(const fs::path& folder) noexcept {
    // Only a real folder at objects/<xx>/<key> of this cache: a symlink anywhere on the way
    // could lead out of it.
    if (!is_real_directory(root_ / "objects") || !is_real_directory(folder.parent_path()) ||
        !is_real_directory(folder) || !is_real_directory(root_ / "tmp"))
        return;
    // Move aside first so the entry disappears at once, then delete.
    std::error_code ignored;
    const fs::path trash = root_ / "tmp" /
                           ("trash." + folder.filename().string() + "." +
                            std::to_string(::getpid()) + "." + std::to_string(entry_counter++));
    if (::rename(folder.c_str(), trash.c_str()) == 0)
        fs::remove_all(trash, ignored);  // removes symlinks inside, never what they point at
}

std::vector<ArtifactCache::Entry> ArtifactCache::list_entries() const {
    // Only what is identifiably an entry: objects/<xx>/<key>/ (real folders, no symlink)
    // whose entry.json names that key. Anything else found there is left alone.
    std::vector<Entry> entries;
    if (!is_real_directory(root_ / "objects")) return entries;
    std::error_code error;
    for (const auto& shard : fs::directory_iterator(root_ / "objects", error)) {
        if (!is_real_directory(shard.path())) continue;
        for (const auto& folder : fs::directory_iterator(shard.path(), error)) {
            const std::string name = folder.path().filename().string();
            if (name.rfind(shard.path().filename().string(), 0) != 0 ||
                !is_cache_entry_folder(folder.path()))
                continue;
            entries.push_back({folder.path(), folder_bytes(folder.path()),
                               modification_time(folder.path() / kEntryRecord)});
        }
    }
    return entries;
}

CacheStats ArtifactCache::stats() const {
    CacheStats stats;
    for (const auto& entry : list_entries()) {
        ++stats.entries;
        stats.bytes += entry.bytes;
        if (!stats.oldest_use || entry.last_use < *stats.oldest_use)
            stats.oldest_use = entry.last_use;
        if (!stats.newest_use || entry.last_use > *stats.newest_use)
            stats.newest_use = entry.last_use;
    }
    return stats;
}

GarbageCollection ArtifactCache::collect_garbage(std::uintmax_t max_bytes,
                                                 std::optional<std::chrono::seconds> max_age) {
    auto entries = list_entries();
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.last_use < b.last_use; });
    std::uintmax_t total = 0;
    for (const auto& entry : entries) total += entry.bytes;
    const auto now = std::chrono::system_clock::now();
    GarbageCollection result;
    for (const auto& entry : entries) {
        const bool too_old = max_age && now - entry.last_use > *max_age;
        if (!too_old && total <= max_bytes) continue;
        remove_entry(entry.folder);
        total -= entry.bytes;
        ++result.removed_entries;
        result.removed_bytes += entry.bytes;
    }
    remove_stale_pending();
    result.remaining = stats();
    return result;
}

void ArtifactCache::remove_stale_pending() noexcept {
    // Folders left in tmp/ by writers that were killed: gone after a day. Only real folders
    // named as begin() and remove_entry() name them, and only in a stamped cache: an
    // unstamped folder that was not adopted (no entries) may be anybody's.
    if (inspect_cache_folder(root_).kind != CacheFolderKind::stamped) return;
    if (!is_real_directory(root_ / "tmp")) return;
    const auto now = std::chrono::system_clock::now();
    std::error_code error;
    for (const auto& item : fs::directory_iterator(root_ / "tmp", error))
        if (is_real_directory(item.path()) &&
            is_pending_folder_name(item.path().filename().string()) &&
            now - modification_time(item.path()) > std::chrono::hours(24))
            fs::remove_all(item.path(), error);
}

}  // namespace storyreel
