#pragma once
// Input files' content hashes, remembered between builds by their stamps (file_stamp.h).
//
// One JSON file per project in the cache's build log. A build hashes only the boards and
// audio written since the last build; the others' hashes are taken from the memo when
// their stamp is unchanged. The memo keeps the files the last build asked for, so it never
// grows past one project's inputs. Losing it (or two builds saving at once) only costs
// hashing again.

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "pipeline/file_stamp.h"

namespace storyreel {

class FileHashMemo {
  public:
    /// Loads the memo at `file` (missing or unreadable: empty).
    explicit FileHashMemo(std::filesystem::path file);

    /// The file's "xxh128:" content hash, remembered or computed (hash_file). Thread-safe.
    /// Throws BuildError naming the file when it cannot be read.
    std::string hash(const std::filesystem::path& path);

    /// Writes the files asked for since loading, atomically. Never throws.
    void save() const;

    std::size_t hashed() const { return hashed_; }  ///< read this time, not remembered

  private:
    struct Remembered {
        FileStamp stamp;
        std::string hash;
    };

    std::filesystem::path file_;
    mutable std::mutex mutex_;
    std::map<std::string, Remembered> loaded_;
    std::map<std::string, Remembered> used_;
    std::size_t hashed_ = 0;
};

}  // namespace storyreel
