#include "pipeline/file_hash_memo.h"

#include <fstream>

#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"

namespace storyreel {

namespace fs = std::filesystem;

FileHashMemo::FileHashMemo(fs::path file) : file_(std::move(file)) {
    std::ifstream in(file_);
    if (!in) return;
    try {
        const auto document = nlohmann::json::parse(in);
        for (const auto& [path, entry] : document.at("files").items()) {
            const auto stamp = FileStamp::from_json(entry);
            if (stamp) loaded_[path] = Remembered{*stamp, entry.at("hash").get<std::string>()};
        }
    } catch (const std::exception&) {
        loaded_.clear();  // a damaged memo only costs hashing again
    }
}

std::string FileHashMemo::hash(const fs::path& path) {
    const std::string key = fs::absolute(path).lexically_normal().string();
    const auto before = FileStamp::of(path);
    if (before) {
        std::lock_guard lock(mutex_);
        const auto it = loaded_.find(key);
        if (it != loaded_.end() && it->second.stamp == *before) {
            used_[key] = it->second;
            return it->second.hash;
        }
    }
    std::string hash = hash_file(path);
    const auto after = FileStamp::of(path);
    std::lock_guard lock(mutex_);
    ++hashed_;
    // Remembered only when nothing wrote the file while it was read, long enough ago.
    if (before && after && *before == *after && after->settled())
        used_[key] = Remembered{*after, hash};
    return hash;
}

void FileHashMemo::save() const {
    try {
        nlohmann::json files = nlohmann::json::object();
        {
            std::lock_guard lock(mutex_);
            for (const auto& [path, remembered] : used_) {
                auto entry = remembered.stamp.to_json();
                entry["hash"] = remembered.hash;
                files[path] = std::move(entry);
            }
        }
        std::error_code error;
        fs::create_directories(file_.parent_path(), error);
        write_file_atomically(file_,
                              nlohmann::json{{"version", 1}, {"files", files}}.dump() + "\n");
    } catch (const std::exception&) {
        // Without the memo the next build hashes its inputs again; nothing is lost.
    }
}

}  // namespace storyreel
