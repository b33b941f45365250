#pragma once
// The published versions of one sequence: ROOT/<show>/<sequence>/ holding v001, v002, ...,
// `latest` (a relative symlink to the newest version), `latest.json` (the same for tools
// that do not follow links), `.publish.lock`, and hidden `.staging-<pid>-*` folders while
// a version is being assembled.
//
// A folder named v<NNN> is a version only once it holds manifest.json: versions appear by
// renaming a complete, verified staging folder, so a reader never sees a partial one.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "publish/publish_error.h"

namespace storyreel::publish {

class SequenceFolder {
  public:
    SequenceFolder(std::filesystem::path root, const std::string& show,
                   const std::string& sequence);
    explicit SequenceFolder(std::filesystem::path folder);

    const std::filesystem::path& path() const { return path_; }
    std::string sequence() const { return path_.filename().string(); }
    std::string show() const { return path_.parent_path().filename().string(); }

    /// "v001" (three digits at least).
    static std::string version_name(int version);
    /// 7 for "v007"; nullopt for anything else.
    static std::optional<int> parse_version_name(const std::string& name);

    std::filesystem::path version_path(int version) const { return path_ / version_name(version); }
    /// Complete versions, oldest first.
    std::vector<int> versions() const;
    /// The newest complete version.
    std::optional<int> newest() const;
    /// The highest number any v<NNN> entry takes, complete or not (a folder someone made by
    /// hand must not block the next version).
    int highest_number() const;
    /// The version `latest` points to.
    std::optional<int> linked_latest() const;
    /// manifest.json of a version; throws PublishError when missing or unreadable.
    nlohmann::json manifest(int version) const;

    /// Points `latest` and `latest.json` at `version`, each by an atomic rename.
    void switch_latest(int version, const nlohmann::json& manifest) const;
    /// Removes staging folders left by publishes that were killed (their process is gone).
    void remove_abandoned_staging() const;

  private:
    std::filesystem::path path_;
};

/// The folder name of a show (or of a unit: a whole-cut build's unit is named after the
/// show): its name with every character other than letters, digits,
/// '.', '_' and '-' replaced by '_' ("Demo Show" -> "Demo_Show"); never starts with '.'.
std::string show_folder_name(const std::string& show);

/// Every sequence folder under ROOT (optionally of one show / one sequence), sorted.
std::vector<SequenceFolder> find_sequences(const std::filesystem::path& root,
                                           const std::string& show, const std::string& sequence);

/// An exclusive lock on a sequence folder (flock on `.publish.lock`), held while choosing a
/// version number and renaming a version into place. The kernel drops it when the process
/// dies, so a killed publish never blocks the next one.
class PublishLock {
  public:
    /// Locks `folder/lock_name`, waiting for another holder to finish.
    explicit PublishLock(const std::filesystem::path& folder,
                         const std::string& lock_name = ".publish.lock");
    ~PublishLock();
    PublishLock(const PublishLock&) = delete;
    PublishLock& operator=(const PublishLock&) = delete;

  private:
    int descriptor_ = -1;
};

/// Reads a JSON file; throws PublishError naming it (also when it nests deeper than
/// InputLimits' max_nesting_depth).
nlohmann::json read_json_file(const std::filesystem::path& path);

/// The PublishError for a published JSON file whose content is not what storyreel writes
/// (a key missing, a value of another type): names the file and what to do.
PublishError unexpected_json_content(const std::filesystem::path& file,
                                     const nlohmann::json::exception& error);

/// Runs `read`, which reads what `file` held; a nlohmann::json::exception it throws (a key
/// missing, a value of another type) becomes unexpected_json_content(file).
template <class Read>
auto reading_json_of(const std::filesystem::path& file, Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const nlohmann::json::exception& error) {
        throw unexpected_json_content(file, error);
    }
}

/// fsyncs a file or folder so a rename that follows is durable; throws PublishError.
void sync_path(const std::filesystem::path& path);

}  // namespace storyreel::publish
