#include "pipeline/cache_stamp.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "pipeline/atomic_file.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormatName = "storyreel-cache";
/// CacheFolderCheck::detail of a folder whose stamp file is not a stamp.
constexpr const char* kDamagedStamp = "damaged stamp";

fs::file_type type_of(const fs::path& path) {
    std::error_code error;
    return fs::symlink_status(path, error).type();  // a symlink is a symlink, never its target
}

bool is_real_directory(const fs::path& path) { return type_of(path) == fs::file_type::directory; }
bool is_real_file(const fs::path& path) { return type_of(path) == fs::file_type::regular; }

/// The children of `folder`, or the reason they cannot be listed.
std::vector<fs::path> children(const fs::path& folder, std::string& problem) {
    std::vector<fs::path> found;
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
        found.push_back(it->path());
    if (error) problem = folder.string() + " (cannot be read: " + error.message() + ")";
    return found;
}

/// Walks the layout of a cache written before the stamp; "" when every file fits it, else the
/// first path that does not.
class UnstampedLayout {
  public:
    explicit UnstampedLayout(fs::path root) : root_(std::move(root)) {}

    std::string problem() {
        static const std::regex stamp_partial(R"(\.storyreel-cache\.partial-\d+-\d+\.json)");
        for (const auto& item : list(root_)) {
            const std::string name = item.filename().string();
            if (name == "objects" && is_real_directory(item))
                check_objects(item);
            else if (name == "tmp" && is_real_directory(item))
                check_tmp(item);
            else if (name == "log" && is_real_directory(item))
                check_log(item);
            else if (!(is_real_file(item) && std::regex_match(name, stamp_partial)))
                fail(item);
            if (!problem_.empty()) break;
        }
        return problem_;
    }
    std::size_t entries() const { return entries_; }

  private:
    std::vector<fs::path> list(const fs::path& folder) {
        if (!problem_.empty()) return {};
        return children(folder, problem_);
    }
    void fail(const fs::path& path) {
        if (problem_.empty()) problem_ = path.lexically_relative(root_).string();
        if (is_real_directory(path))
            problem_ += "/";
        else if (type_of(path) == fs::file_type::symlink)
            problem_ += " (a symlink)";
    }
    bool only_files(const fs::path& folder) {
        for (const auto& file : list(folder))
            if (!is_real_file(file)) return fail(file), false;
        return problem_.empty();
    }
    void check_objects(const fs::path& objects) {
        for (const auto& shard : list(objects)) {
            const std::string prefix = shard.filename().string();
            if (prefix.size() != 2 || !is_real_directory(shard)) return fail(shard);
            for (const auto& entry : list(shard)) {
                if (entry.filename().string().rfind(prefix, 0) != 0 ||
                    !is_cache_entry_folder(entry))
                    return fail(entry);
                if (!only_files(entry)) return;
                ++entries_;
            }
        }
    }
    void check_tmp(const fs::path& tmp) {
        static const std::regex pending(R"((trash\.)?[0-9A-Za-z_-]+\.\d+\.\d+)");
        for (const auto& item : list(tmp)) {
            if (!is_real_directory(item) || !std::regex_match(item.filename().string(), pending))
                return fail(item);
            if (!only_files(item)) return;
        }
    }
    void check_log(const fs::path& log) {
        static const std::regex project(R"([0-9a-f]{16})");
        for (const auto& folder : list(log)) {
            if (!is_real_directory(folder) ||
                !std::regex_match(folder.filename().string(), project))
                return fail(folder);
            for (const auto& item : list(folder)) {  // input-hashes.json, <stage>/<shot>.json
                if (is_real_directory(item)) {
                    if (!only_files(item)) return;
                } else if (!is_real_file(item)) {
                    return fail(item);
                }
            }
        }
    }

    fs::path root_;
    std::string problem_;
    std::size_t entries_ = 0;
};

CacheFolderCheck read_stamp(const fs::path& stamp) {
    CacheFolderCheck check;
    check.kind = CacheFolderKind::not_a_cache;
    check.detail = kDamagedStamp;
    if (!is_real_file(stamp)) return check;
    std::ifstream in(stamp);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    // Compared as JSON values: a "format" of another type is no stamp (value() would throw).
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("format") ||
        doc["format"] != kFormatName || !doc.contains("version") ||
        !doc["version"].is_number_integer() || doc["version"].get<long long>() < 1)
        return check;
    const long long version = doc["version"].get<long long>();
    check.kind =
        version > kCacheFormatVersion ? CacheFolderKind::newer_format : CacheFolderKind::stamped;
    check.detail = std::to_string(version);
    return check;
}

}  // namespace

std::string cache_entry_name(const std::string& key) {
    const auto colon = key.find(':');
    return colon == std::string::npos ? key : key.substr(colon + 1);
}

bool is_cache_entry_folder(const fs::path& entry) {
    if (!is_real_directory(entry) || !is_real_file(entry / "entry.json")) return false;
    std::ifstream in(entry / "entry.json");
    const auto record = nlohmann::json::parse(in, nullptr, false);
    return !record.is_discarded() && record.is_object() && record.contains("key") &&
           record["key"].is_string() &&
           cache_entry_name(record["key"].get<std::string>()) == entry.filename().string();
}

CacheFolderCheck inspect_cache_folder(const fs::path& root) {
    CacheFolderCheck check;
    std::error_code error;
    const auto status = fs::status(root, error);
    if (status.type() == fs::file_type::not_found) return check;  // missing
    if (status.type() != fs::file_type::directory) {
        check.kind = CacheFolderKind::not_a_cache;
        check.detail =
            error ? "nothing readable (" + error.message() + ")" : "a file, not a folder";
        return check;
    }
    std::string problem;
    if (children(root, problem).empty() && problem.empty()) {
        check.kind = CacheFolderKind::empty;
        return check;
    }
    if (type_of(root / kCacheStampFile) != fs::file_type::not_found)
        return read_stamp(root / kCacheStampFile);
    UnstampedLayout layout(root);
    check.detail = layout.problem();
    // Another build (a farm shard starting at the same moment) may have stamped the new folder
    // between the look for the stamp and the walk: the stamp it wrote is then what counts.
    if (!check.detail.empty() && type_of(root / kCacheStampFile) != fs::file_type::not_found)
        return read_stamp(root / kCacheStampFile);
    check.kind = check.detail.empty() ? CacheFolderKind::unstamped : CacheFolderKind::not_a_cache;
    check.entries = layout.entries();
    return check;
}

std::string cache_folder_refusal(const fs::path& root, const CacheFolderCheck& check,
                                 bool creating) {
    const std::string where = root.string();
    switch (check.kind) {
        case CacheFolderKind::missing:
            return creating ? ""
                            : "no storyreel cache at " + where +
                                  ": the folder does not exist (nothing was created)";
        case CacheFolderKind::empty:
            return creating ? ""
                            : "no storyreel cache at " + where +
                                  ": the folder is empty (nothing was created)";
        case CacheFolderKind::stamped:
        case CacheFolderKind::unstamped:
            return "";
        case CacheFolderKind::newer_format:
            return where + ": a cache in format version " + check.detail +
                   ", newer than this storyreel reads (" + std::to_string(kCacheFormatVersion) +
                   "); use the newer storyreel, or another cache folder";
        case CacheFolderKind::not_a_cache:
            break;
    }
    const std::string what =
        check.detail == kDamagedStamp
            ? std::string("its ") + kCacheStampFile +
                  " is not a storyreel cache stamp: damaged, or another program's file"
            : "it holds " + check.detail + " and no " + kCacheStampFile + " stamp";
    return "not a storyreel cache: " + where + " (" + what +
           "); storyreel reads, creates and deletes nothing in it. Pick an empty or new folder "
           "for the cache (--cache), or, if this is an old cache you no longer need, delete it "
           "yourself";
}

void write_cache_stamp(const fs::path& root) {
    fs::create_directories(root);
    const nlohmann::json stamp = {
        {"format", kFormatName},
        {"version", kCacheFormatVersion},
        {"note", "a storyreel cache: `storyreel cache gc` may delete its entries"}};
    write_file_atomically(root / kCacheStampFile, stamp.dump(2) + "\n");
}

}  // namespace storyreel
