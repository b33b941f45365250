#pragma once
// Pulling a published version into an editor's folder under stable names.
//
// Every chosen file is copied (by reflink where the filesystem can, file_transfer.h) or
// hard-linked to a hidden temporary name in the target folder and checked against the
// manifest's SHA-256; only when every file checks out are they renamed into place, so a
// damaged published file fails the pull with a ChecksumError and leaves the editor's
// existing copies as they were. Files the editor already has (same
// checksum, recorded in DIR/.storyreel-pull.json) are not copied again: running the same
// pull from cron does nothing until a new version appears.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace storyreel::publish {

struct PullRequest {
    std::filesystem::path root;
    std::string show;  ///< may be empty when only one show has the sequence
    std::string sequence;
    std::filesystem::path to;
    std::optional<int> version;  ///< nullopt: latest
    std::optional<int> since;    ///< do nothing unless the version is newer than this
    /// Kinds of file: movie, edl, otio, xml, changes, manifest, report (the review page with
    /// its thumbnails, and build.json). Empty: movie, edl, otio,
    /// xml, changes.
    std::set<std::string> what;
    /// Name templates per kind ({sequence} {show} {stage} {name} {ext} {version});
    /// defaults: the published name, and {sequence}_CHANGES.txt for changes.
    std::map<std::string, std::string> names;
    bool link = false;  ///< hard-link instead of copying where the filesystem allows
};

struct PulledFile {
    std::string name;  ///< name in the target folder
    std::filesystem::path source;
    bool copied = false;  ///< false: the editor already had it
    /// How it was put there when copied: "reflink", "copy_file_range", "copy" (file_transfer.h)
    /// or "hard link" (--link).
    std::string transfer;
};

struct PullResult {
    std::string show, sequence;
    int version = 0;
    bool skipped_by_since = false;  ///< the version is not newer than --since
    std::vector<PulledFile> files;
    std::vector<std::string> changes_since;  ///< CHANGES.txt of each version after --since
};

/// The kinds `--what` accepts.
const std::set<std::string>& pull_kinds();

/// Throws PublishError (unknown sequence/version, unwritable folder) or ChecksumError.
PullResult pull(const PullRequest& request);

/// The kind of a manifest output entry: movie, edl, otio, xml, report or other.
std::string output_kind(const nlohmann::json& output);

}  // namespace storyreel::publish
