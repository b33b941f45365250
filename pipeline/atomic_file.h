#pragma once
// Outputs appear under their final name complete or not at all.
//
// A PendingFile is written under a hidden temporary name in the same folder as its
// final name; commit() renames it into place (atomic on one filesystem). If it is
// destroyed uncommitted, the temporary file is removed.

#include <filesystem>
#include <string>

namespace storyreel {

/// Whether a commit waits for the bytes to reach the disk. Outputs do; records that only
/// explain a rebuild may not (a power cut loses them, never corrupts them: the rename is
/// still atomic), as ninja's log does not.
enum class Durability { Synced, Unsynced };

class PendingFile {
  public:
    explicit PendingFile(std::filesystem::path final_path);
    ~PendingFile();
    PendingFile(PendingFile&& other) noexcept;
    PendingFile& operator=(PendingFile&&) = delete;
    PendingFile(const PendingFile&) = delete;

    /// Where to write now: "<dir>/.<name>.partial-<pid>-<n><ext>" (extension kept, so
    /// libav picks the right muxer).
    const std::filesystem::path& temporary_path() const { return temporary_; }
    const std::filesystem::path& final_path() const { return final_; }

    /// fsyncs the temporary file (unless Unsynced), renames it over the final name and
    /// fsyncs the folder (unless Unsynced). Throws BuildError.
    void commit(Durability durability = Durability::Synced);
    /// Removes the temporary file; never throws.
    void discard() noexcept;

  private:
    std::filesystem::path final_;
    std::filesystem::path temporary_;
    bool done_ = false;
};

/// Writes `text` to `path` through a PendingFile.
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           Durability durability = Durability::Synced);

/// Checks that `dir` exists (creating it) and that a file can be created in it.
/// Throws BuildError naming the folder otherwise.
void ensure_writable_directory(const std::filesystem::path& dir);

}  // namespace storyreel
