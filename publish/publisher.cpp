#include "publish/publisher.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>

#include "editorial/movie_reference.h"
#include "pipeline/atomic_file.h"
#include "pipeline/build_report.h"
#include "pipeline/content_hash.h"
#include "pipeline/utc_time.h"
#include "publish/ascmhl.h"
#include "publish/ascmhl_names.h"
#include "publish/changes.h"
#include "publish/delivery_hash.h"
#include "publish/file_transfer.h"
#include "publish/manifest.h"
#include "publish/publish_error.h"
#include "publish/review_page_version.h"
#include "publish/sequence_folder.h"
#include "publish/sha256.h"

namespace storyreel::publish {

namespace fs = std::filesystem;
using nlohmann::json;

void stop_point(const char* point) {
    const char* wanted = std::getenv("STORYREEL_PUBLISH_STOP_AT");
    if (wanted && std::strcmp(wanted, point) == 0) ::raise(SIGSTOP);
}

namespace {

/// A hidden folder beside the versions where the next one is assembled; removed unless it
/// was renamed into place.
class StagingFolder {
  public:
    explicit StagingFolder(const fs::path& sequence_folder) {
        std::string pattern =
            (sequence_folder / (".staging-" + std::to_string(::getpid()) + "-XXXXXX")).string();
        if (!::mkdtemp(pattern.data()))
            throw PublishError(sequence_folder.string() + ": cannot create a staging folder: " +
                               std::strerror(errno) + " (check permissions and free space)");
        path_ = pattern;
        // mkdtemp makes it private; a version is read by everyone the umask allows.
        const mode_t mask = ::umask(0);
        ::umask(mask);
        ::chmod(path_.c_str(), 0777 & ~mask);
    }
    ~StagingFolder() {
        if (committed_) return;
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

    /// Renames the folder to `target`, which must not exist (two publishers can never both
    /// take a version number, even without the lock).
    void rename_to(const fs::path& target) {
        if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0)
            throw PublishError(target.string() +
                               ": cannot create the version: " + std::strerror(errno) +
                               (errno == EEXIST ? " (another publish took this number)" : ""));
        committed_ = true;
    }

  private:
    fs::path path_;
    bool committed_ = false;
};

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw PublishError(path.string() + ": cannot write (check free space)");
    sync_path(path);
}

/// Where the published cut lists point: at the movie of the version, not the build's.
struct MovieInVersion {
    std::map<std::string, fs::path> built;  ///< movie file name -> the build's path
    fs::path version_folder;                ///< absolute final folder of the version
};

/// Rewrites a staged cut list (checked against the build's checksum) so it points at the
/// published copy of its movie; returns that copy's path, or "" when the list names no
/// movie published with it.
fs::path point_at_published_movie(const OutputRecord& record, const fs::path& staged,
                                  const MovieInVersion& movies) {
    const auto movie = record.properties.find("movie");
    if (record.kind != "cut_list" || movie == record.properties.end()) return {};
    const auto built = movies.built.find(movie->second);
    if (built == movies.built.end()) return {};
    const fs::path published = movies.version_folder / movie->second;
    std::ifstream in(staged, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    in.close();
    std::string rewritten;
    try {
        rewritten = retarget_movie(text, staged.extension().string(), built->second, published,
                                   movies.version_folder);
    } catch (const std::exception& error) {
        throw PublishError(record.path.string() + ": cannot point the cut list at " +
                           published.string() + ": " + error.what() + " (build again)");
    }
    write_text(staged, rewritten);
    return published;
}

/// Copies one build output into the staging folder (by reflink where the filesystem can:
/// file_transfer.h; "copied_by" says how) and checks the copy against the checksum the
/// build recorded; cut lists are then pointed at the version's movie.
/// Returns its manifest entry; its media hash list entry goes to `hashes`.
json stage_output(const OutputRecord& record, const fs::path& staging, const MovieInVersion& movies,
                  std::vector<MhlHash>& hashes) {
    const fs::path file = fs::path(record.publish_folder) / record.path.filename();
    const fs::path target = staging / file;
    if (!record.publish_folder.empty()) {  // a review page's folder
        std::error_code error;
        fs::create_directories(target.parent_path(), error);
        if (error)
            throw PublishError(target.parent_path().string() +
                               ": cannot create: " + error.message() +
                               " (check free space and permissions in the publish folder)");
    }
    const CopyMethod method = copy_file_independently(record.path, target);
    sync_path(target);
    DeliveryHashes delivered =
        hash_delivered_file(target);  // one read: the check and the manifest's
    if (!record.checksum.empty() && !delivered.matches(record.checksum))
        throw ChecksumError(target.string() + ": copy does not match the build's checksum " +
                            record.checksum + " (was " + record.path.string() +
                            " changed during publishing? build again)");
    const fs::path movie = point_at_published_movie(record, target, movies);
    if (!movie.empty()) delivered = hash_delivered_file(target);  // a small rewritten cut list
    std::error_code error;
    fs::permissions(target, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                    error);
    json entry = storyreel::to_json(record);
    entry.erase("path");
    entry.erase("checksum");
    entry["file"] = file.generic_string();
    entry["source"] = record.path.string();
    entry["copied_by"] = copy_method_name(method);
    entry["xxh128"] = movie.empty() ? record.checksum : delivered.xxh128;
    if (!movie.empty()) {
        entry["built_xxh128"] = record.checksum;  // before it was pointed at the version's movie
        entry["movie_path"] = movie.string();
    }
    entry["sha256"] = delivered.sha256;
    entry["size_bytes"] = delivered.size;
    hashes.push_back(mhl_hash_of(staging, target, delivered.xxh128));
    return entry;
}

json stage_report(const json& report, const fs::path& staging, std::vector<MhlHash>& hashes) {
    const fs::path target = staging / "build.json";
    write_text(target, report.dump(2) + "\n");
    const DeliveryHashes delivered = hash_delivered_file(target);
    hashes.push_back(mhl_hash_of(staging, target, delivered.xxh128));
    return {{"file", "build.json"},
            {"kind", "report"},
            {"sha256", delivered.sha256},
            {"size_bytes", delivered.size}};
}

/// Writes a text file of the version and lists it in the media hash list.
void write_listed_text(const fs::path& path, const std::string& text,
                       std::vector<MhlHash>& hashes) {
    write_text(path, text);
    hashes.push_back(mhl_hash_of(path.parent_path(), path, hash_delivered_file(path).xxh128));
}

/// The version's ASC MHL generation, made read-only like the rest of the version.
void write_media_hash_list(const fs::path& staging, int version, const std::string& sequence,
                           std::vector<MhlHash> hashes) {
    MhlGeneration generation;
    generation.process = "in-place";
    generation.comment =
        "storyreel published " + sequence + " " + SequenceFolder::version_name(version);
    generation.hashes = std::move(hashes);
    const MhlGeneration written = append_mhl_generation(
        staging, SequenceFolder::version_name(version), std::move(generation));
    const auto read_only = fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read;
    std::error_code ignored;
    fs::permissions(staging / kMhlFolder / written.file, read_only, ignored);
    fs::permissions(staging / kMhlFolder / kMhlChainFile, read_only, ignored);
}

std::string checksum_lines(const json& outputs) {
    std::string text;
    for (const auto& output : outputs)
        text +=
            sha256_hex(output.at("sha256")) + "  " + output.at("file").get<std::string>() + "\n";
    return text;
}

PublishOutcome publish_unit(const BuildResult& result, const OutputUnit& unit,
                            const PublishOptions& options) {
    const ValidatedBuild& build = *result.validated;
    SequenceFolder folder(options.root, build.project.show.name, unit.name);
    std::error_code error;
    fs::create_directories(folder.path(), error);
    if (error)
        throw PublishError(folder.path().string() + ": cannot create: " + error.message() +
                           " (check the publish root is writable)");
    json manifest = describe_unit(build, unit, result.report_document);
    PublishLock lock(folder.path());
    folder.remove_abandoned_staging();
    const auto newest = folder.newest();
    const json previous = newest ? folder.manifest(*newest) : json();
    PublishOutcome outcome{folder.show(), unit.name, false, newest.value_or(0), {}, {}};
    if (newest && !options.force &&
        previous.value("fingerprint", "") == manifest.at("fingerprint")) {
        if (folder.linked_latest() != newest) folder.switch_latest(*newest, previous);
        outcome.folder = folder.version_path(*newest);
        outcome.summary = "unchanged since " + SequenceFolder::version_name(*newest);
        return outcome;
    }
    outcome.version = std::max(newest.value_or(0), folder.highest_number()) + 1;
    StagingFolder staging(folder.path());
    stop_point("staging");
    std::vector<const OutputRecord*> published;
    MovieInVersion movies{{},
                          fs::absolute(folder.version_path(outcome.version)).lexically_normal()};
    for (const auto& record : result.outputs)
        if (record.unit == unit.name &&
            (options.stages.empty() || options.stages.count(record.stage))) {
            published.push_back(&record);
            if (record.kind == "movie") movies.built[record.path.filename().string()] = record.path;
        }
    json outputs = json::array();
    std::vector<MhlHash> hashes;
    for (const OutputRecord* record : published)
        outputs.push_back(stage_output(*record, staging.path(), movies, hashes));
    outputs.push_back(stage_report(result.report_document, staging.path(), hashes));
    stop_point("copied");
    manifest["version"] = outcome.version;
    manifest["previous_version"] = newest ? json(*newest) : json();
    manifest["created"] = utc_time_now();
    manifest["outputs"] = outputs;
    const json changes = reading_json_of(folder.version_path(newest.value_or(0)) / "manifest.json",
                                         [&] { return compare_manifests(previous, manifest); });
    finish_review_pages({staging.path(), outcome.version, manifest["created"], previous,
                         newest ? folder.version_path(*newest) : fs::path(), &changes},
                        outputs, hashes);
    manifest["outputs"] = outputs;
    manifest["changes"] = {{"summary", summarize_changes(changes)}, {"file", "changes.json"}};
    write_listed_text(staging.path() / "changes.json", changes.dump(2) + "\n", hashes);
    write_listed_text(staging.path() / "CHANGES.txt", describe_changes(changes), hashes);
    write_listed_text(staging.path() / "SHA256SUMS", checksum_lines(outputs), hashes);
    write_listed_text(staging.path() / "manifest.json", manifest.dump(2) + "\n", hashes);
    write_media_hash_list(staging.path(), outcome.version, unit.name, std::move(hashes));
    sync_path(staging.path());
    stop_point("written");
    outcome.folder = folder.version_path(outcome.version);
    staging.rename_to(outcome.folder);
    sync_path(folder.path());
    stop_point("renamed");
    folder.switch_latest(outcome.version, manifest);
    stop_point("switched");
    outcome.published = true;
    outcome.summary = summarize_changes(changes);
    return outcome;
}

}  // namespace

std::vector<PublishOutcome> publish_build(const BuildResult& result,
                                          const PublishOptions& options) {
    if (!result.validated) throw PublishError("nothing to publish: the build did not run");
    std::vector<PublishOutcome> outcomes;
    for (const auto& unit : result.validated->plan.units)
        outcomes.push_back(publish_unit(result, unit, options));
    return outcomes;
}

}  // namespace storyreel::publish
