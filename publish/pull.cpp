#include "publish/pull.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "editorial/movie_reference.h"
#include "pipeline/atomic_file.h"
#include "pipeline/checked_number.h"
#include "pipeline/content_hash.h"
#include "pipeline/json_number.h"
#include "publish/ascmhl.h"
#include "publish/delivery_hash.h"
#include "publish/file_transfer.h"
#include "publish/publish_error.h"
#include "publish/sequence_folder.h"
#include "publish/sha256.h"

namespace storyreel::publish {

namespace fs = std::filesystem;
using nlohmann::json;

const std::set<std::string>& pull_kinds() {
    static const std::set<std::string> kinds{"movie",   "edl",      "otio",  "xml",
                                             "changes", "manifest", "report"};
    return kinds;
}

std::string output_kind(const json& output) {
    const std::string kind = output.value("kind", "");
    if (kind == "movie" || kind == "report") return kind;
    if (kind == "review_page" || kind == "thumbnail" || kind == "boards_pdf")
        return "report";  // the review page with its thumbnails, the printable boards
    const std::string ext = fs::path(output.at("file").get<std::string>()).extension().string();
    if (ext == ".mov" || ext == ".mp4" || ext == ".mxf") return "movie";
    if (ext == ".edl") return "edl";
    if (ext == ".otio") return "otio";
    if (ext == ".xml" || ext == ".fcpxml") return "xml";
    return "other";
}

namespace {

SequenceFolder find_sequence(const PullRequest& request) {
    const auto found = find_sequences(request.root, request.show, request.sequence);
    if (found.empty())
        throw PublishError(request.root.string() + ": no published sequence '" + request.sequence +
                           "'" + (request.show.empty() ? "" : " of show '" + request.show + "'") +
                           " (see `storyreel cuts --publish " + request.root.string() + "`)");
    if (found.size() > 1) {
        std::string shows;
        for (const auto& folder : found) shows += (shows.empty() ? "" : ", ") + folder.show();
        throw PublishError("sequence '" + request.sequence + "' is published for several shows (" +
                           shows + "): say which with --show");
    }
    return found.front();
}

int choose_version(const SequenceFolder& folder, const std::optional<int>& wanted) {
    const auto versions = folder.versions();
    if (versions.empty()) throw PublishError(folder.path().string() + ": no published version yet");
    if (!wanted) return folder.linked_latest().value_or(versions.back());
    if (std::find(versions.begin(), versions.end(), *wanted) == versions.end())
        throw PublishError(folder.path().string() + ": there is no version " +
                           std::to_string(*wanted) + " (published: v" +
                           std::to_string(versions.front()) + " .. v" +
                           std::to_string(versions.back()) + ")");
    return *wanted;
}

std::string fill_template(std::string text, const std::map<std::string, std::string>& fields) {
    for (const auto& [key, value] : fields)
        for (auto at = text.find("{" + key + "}"); at != std::string::npos;
             at = text.find("{" + key + "}"))
            text.replace(at, key.size() + 2, value);
    if (text.empty() || text.find('/') != std::string::npos || text[0] == '.' ||
        text.find_first_of("{}") != std::string::npos)
        throw PublishError("name template gives '" + text +
                           "', which is not a plain file name (fields: {sequence} {show} {stage} "
                           "{name} {ext} {version})");
    return text;
}

/// A file's path inside a version as written in the manifest (`sq010_report/thumbs/x.jpg`),
/// refused unless it stays inside the folder it is pulled into.
std::string published_relative_name(const std::string& file) {
    const fs::path path = fs::path(file).lexically_normal();
    if (file.empty() || path.is_absolute() || *path.begin() == ".." || file[0] == '.')
        throw PublishError("the manifest names '" + file +
                           "', which is not a path inside the version (republish the sequence)");
    return path.generic_string();
}

/// One file to pull: where it comes from, its checksum, its name in the target folder.
struct PullItem {
    fs::path source;
    std::string sha256;
    std::string name;
    /// Cut lists: the movie they point at as the build wrote it, and the copy they are to
    /// point at once pulled (the pulled movie, else the published one). Empty otherwise.
    fs::path movie_built, movie_pulled;
    std::string movie_path;  ///< the movie the published list points at (manifest), if said
};

bool is_cut_list(const std::string& kind) {
    return kind == "edl" || kind == "otio" || kind == "xml";
}

/// Points every pulled cut list at the pulled movie it lines up with, or, when that movie
/// is not pulled, at its published copy.
void link_cut_lists_to_movies(std::vector<PullItem>& items,
                              const std::map<std::string, const PullItem*>& movies,
                              const json& manifest, const fs::path& version_folder,
                              const fs::path& to) {
    std::map<std::string, std::string> built;  // published movie file -> where the build wrote it
    for (const auto& output : manifest.at("outputs"))
        if (output_kind(output) == "movie") built[output.at("file")] = output.value("source", "");
    for (auto& item : items) {
        auto source = built.find(item.movie_built.string());
        if (item.movie_built.empty() || source == built.end() || source->second.empty()) {
            item.movie_built.clear();
            continue;
        }
        const auto pulled = movies.find(source->first);
        item.movie_pulled = (pulled != movies.end() ? fs::absolute(to / pulled->second->name)
                                                    : fs::absolute(version_folder / source->first))
                                .lexically_normal();
        // Lists published since it was recorded point at the version's movie; older ones at
        // the build's.
        item.movie_built =
            item.movie_path.empty() ? fs::path(source->second) : fs::path(item.movie_path);
    }
}

std::vector<PullItem> choose_files(const PullRequest& request, const SequenceFolder& folder,
                                   int version, const json& manifest) {
    std::set<std::string> what = request.what;
    if (what.empty()) what = {"movie", "edl", "otio", "xml", "changes"};
    std::vector<PullItem> items;
    const fs::path version_folder = folder.version_path(version);
    auto add = [&](const std::string& kind, const std::string& file, const std::string& sha256,
                   const std::string& stage, const std::string& default_name) {
        const fs::path path(file);
        // A version lists only its own files: a path out of the folder is a damaged or forged
        // manifest, refused before anything is read (the checksum would refuse it later).
        const bool inside = !path.empty() && path.is_relative() &&
                            std::none_of(path.begin(), path.end(), [](const fs::path& part) {
                                return part == ".." || part == ".";
                            });
        if (!inside)
            throw PublishError((version_folder / "manifest.json").string() + ": output '" + file +
                               "' is not a file of the version folder; the manifest was edited or "
                               "damaged: pull another version, or publish again");
        const std::string ext =
            path.extension().string().empty() ? "" : path.extension().string().substr(1);
        auto custom = request.names.find(kind);
        // The review page keeps its folder (index.html beside thumbs/), as published.
        const bool keeps_folder = kind == "report" && custom == request.names.end();
        const std::string name =
            keeps_folder
                ? published_relative_name(file)
                : fill_template(custom == request.names.end() ? default_name : custom->second,
                                {{"sequence", folder.sequence()},
                                 {"show", folder.show()},
                                 {"stage", stage},
                                 {"name", path.stem().string()},
                                 {"ext", ext},
                                 {"version", SequenceFolder::version_name(version)}});
        for (const auto& other : items)
            if (other.name == name)
                throw PublishError("two files would be pulled as '" + name + "' (" +
                                   other.source.filename().string() + " and " + file +
                                   "): use --name " + kind + "=... with {stage} or {ext}");
        items.push_back({version_folder / file, sha256, name});
    };
    std::map<std::string, std::size_t> movies;  // published movie file -> its item
    for (const auto& output : manifest.at("outputs")) {
        const std::string kind = output_kind(output);
        if (!what.count(kind)) continue;
        add(kind, output.at("file"), output.at("sha256"), output.value("stage", ""),
            "{name}.{ext}");
        if (kind == "movie") movies[output.at("file")] = items.size() - 1;
        if (is_cut_list(kind)) {
            items.back().movie_built = output.value("movie", "");
            items.back().movie_path = output.value("movie_path", "");
        }
    }
    std::map<std::string, const PullItem*> pulled_movies;
    for (const auto& [file, index] : movies) pulled_movies[file] = &items[index];
    link_cut_lists_to_movies(items, pulled_movies, manifest, version_folder, request.to);
    // changes/manifest files are checksummed here from the (complete, read-only) version.
    if (what.count("changes"))
        add("changes", "CHANGES.txt", sha256_file(version_folder / "CHANGES.txt"), "",
            "{sequence}_CHANGES.txt");
    if (what.count("manifest"))
        add("manifest", "manifest.json", sha256_file(version_folder / "manifest.json"), "",
            "{sequence}_manifest.json");
    return items;
}

/// Refuses a value of `.storyreel-pull.json` that is not of the type pulls write, naming
/// the file, the key and what to do (the file only remembers what was pulled).
void expect_pull_state_type(const json& value, bool ok, const fs::path& file,
                            const std::string& key, const char* wanted) {
    if (ok) return;
    throw PublishError(file.string() + ": '" + key + "' should be " + wanted + ", but is " +
                       std::string(value.type_name()) +
                       " (the file was edited or damaged; it only records what was pulled here: "
                       "delete it and pull again, which copies every file anew)");
}

/// Every entry of a pull state has the types PullState reads: {"SHOW/SEQ": {"version":
/// int, "files": {NAME: {"sha256": text, "size": int, "mtime_ns": int, "points_at": text}}}}.
void check_pull_state(const json& state, const fs::path& file) {
    for (const auto& [key, entry] : state.items()) {
        expect_pull_state_type(entry, entry.is_object(), file, key, "an object");
        if (entry.contains("version"))
            expect_pull_state_type(entry["version"], entry["version"].is_number_integer(), file,
                                   key + ".version", "a whole number");
        if (!entry.contains("files")) continue;
        const json& files = entry["files"];
        expect_pull_state_type(files, files.is_object(), file, key + ".files", "an object");
        for (const auto& [name, record] : files.items()) {
            const std::string at = key + ".files." + name;
            expect_pull_state_type(record, record.is_object(), file, at, "an object");
            for (const char* text : {"sha256", "points_at"})
                if (record.contains(text))
                    expect_pull_state_type(record[text], record[text].is_string(), file,
                                           at + "." + text, "text");
            for (const char* number : {"size", "mtime_ns"})
                if (record.contains(number))
                    expect_pull_state_type(record[number], record[number].is_number_integer(), file,
                                           at + "." + number, "a whole number");
        }
    }
}

/// What the target folder already holds, per sequence: file name -> checksum, size, mtime.
class PullState {
  public:
    explicit PullState(const fs::path& folder) : file_(folder / ".storyreel-pull.json") {
        if (fs::exists(file_)) state_ = read_json_file(file_);
        if (!state_.is_object()) state_ = json::object();
        check_pull_state(state_, file_);
    }
    /// `points_at`: the movie a pulled cut list was pointed at ("" for other files); a list
    /// pointed elsewhere is pulled again.
    bool has(const std::string& key, const fs::path& target, const std::string& sha256,
             const std::string& points_at) const {
        const json entry = state_.value(key, json::object())
                               .value("files", json::object())
                               .value(target.filename().string(), json());
        if (entry.is_null() || entry.value("sha256", "") != sha256 ||
            entry.value("points_at", "") != points_at)
            return false;
        struct stat info {};
        if (::stat(target.c_str(), &info) != 0) return false;
        constexpr auto kLeast = std::numeric_limits<std::int64_t>::min();
        constexpr auto kMost = std::numeric_limits<std::int64_t>::max();
        return json_integer_or(entry, "size", -1, -1, kMost) ==
                   static_cast<long long>(info.st_size) &&
               json_integer_or(entry, "mtime_ns", -1, kLeast, kMost) == mtime_ns(info);
    }
    void record(const std::string& key, int version, const fs::path& target,
                const std::string& sha256, const std::string& points_at) {
        struct stat info {};
        if (::stat(target.c_str(), &info) != 0) return;
        state_[key]["version"] = version;
        state_[key]["files"][target.filename().string()] = {
            {"sha256", sha256},
            {"size", static_cast<long long>(info.st_size)},
            {"mtime_ns", mtime_ns(info)}};
        if (!points_at.empty())
            state_[key]["files"][target.filename().string()]["points_at"] = points_at;
    }
    void save() const { write_file_atomically(file_, state_.dump(2) + "\n"); }

  private:
    static long long mtime_ns(const struct stat& info) {
        return static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec;
    }
    fs::path file_;
    json state_;
};

/// Rewrites a fetched (and checked) cut list so it points at its movie's pulled copy.
void retarget_cut_list(const PullItem& item, const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    in.close();
    std::string rewritten;
    try {
        rewritten = retarget_movie(text, fs::path(item.name).extension().string(), item.movie_built,
                                   item.movie_pulled, fs::absolute(file).parent_path());
    } catch (const std::exception& error) {
        throw PublishError(item.source.string() + ": cannot point the cut list at " +
                           item.movie_pulled.string() + ": " + error.what());
    }
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << rewritten;
    out.close();
    if (!out) throw PublishError(file.string() + ": cannot write (check free space)");
}

/// A file put beside its final name, checked, with the xxh128 of the bytes it will have.
struct FetchedFile {
    PendingFile file;
    std::string xxh128;
    std::string transfer;  ///< PulledFile::transfer
};

/// Puts a copy (reflink where the filesystem can: file_transfer.h) or hard link of `item`
/// under a temporary name in `to` and checks it; cut lists are copied (never linked: they
/// are rewritten) and pointed at their movie.
FetchedFile fetch(const PullItem& item, const fs::path& to, bool link) {
    std::error_code error;
    fs::create_directories((to / item.name).parent_path(), error);  // a review page's thumbs/
    PendingFile pending(to / item.name);
    bool linked = false;
    if (link && item.movie_pulled.empty()) {
        fs::create_hard_link(item.source, pending.temporary_path(), error);
        linked = !error;
    }
    CopyMethod method = CopyMethod::plain;
    if (!linked) {
        fs::remove(pending.temporary_path(), error);
        method = copy_file_independently(item.source, pending.temporary_path());
        fs::permissions(pending.temporary_path(), fs::perms::owner_write, fs::perm_options::add,
                        error);
    }
    const DeliveryHashes got_hashes = hash_delivered_file(pending.temporary_path());
    const std::string& got = got_hashes.sha256;
    if (got != item.sha256)
        throw ChecksumError("checksum mismatch: " + item.source.string() + " is " + got +
                            ", its manifest says " + item.sha256 +
                            ": the published file is damaged. Nothing was replaced in " +
                            to.string() + " (" + item.name +
                            " is as it was); republish the sequence "
                            "(storyreel build ... --publish ROOT --force) and pull again");
    const std::string transfer = linked ? "hard link" : copy_method_name(method);
    if (item.movie_pulled.empty()) return {std::move(pending), got_hashes.xxh128, transfer};
    retarget_cut_list(item, pending.temporary_path());
    const std::string rewritten = hash_file(pending.temporary_path());  // a small text file
    return {std::move(pending), rewritten, transfer};
}

/// Appends the pull's generation to the target folder's ASC MHL history: the files it
/// delivered ("original": new bytes under that name in this folder) and the ones it found
/// already there and checked ("verified").
void record_delivery(const fs::path& to, const PullResult& result, std::vector<MhlHash> hashes) {
    if (hashes.empty()) return;
    MhlGeneration generation;
    generation.process = "transfer";
    generation.comment = "storyreel pull " + result.show + "/" + result.sequence + " " +
                         SequenceFolder::version_name(result.version);
    generation.hashes = std::move(hashes);
    append_mhl_generation(to, fs::absolute(to).lexically_normal().filename().string(),
                          std::move(generation));
}

/// Removes temporary files of pulls that were killed (".<name>.partial-<pid>-<n><ext>",
/// PendingFile's naming, whose process is gone).
void remove_abandoned_partials(const fs::path& folder) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        const std::string name = entry.path().filename().string();
        const auto at = name.find(".partial-");
        if (name[0] != '.' || at == std::string::npos) continue;
        const std::string digits = name.substr(at + std::strlen(".partial-"));
        const auto pid = parse_integer(digits.substr(0, digits.find('-')), 1, INT32_MAX);
        if (!pid || *pid == ::getpid() || ::kill(static_cast<pid_t>(*pid), 0) == 0 ||
            errno == EPERM)
            continue;
        std::error_code ignored;
        fs::remove(entry.path(), ignored);
    }
}

}  // namespace

PullResult pull(const PullRequest& request) {
    const SequenceFolder folder = find_sequence(request);
    PullResult result{
        folder.show(), folder.sequence(), choose_version(folder, request.version), false, {}, {}};
    if (request.since && result.version <= *request.since) {
        result.skipped_by_since = true;
        return result;
    }
    if (request.since)
        for (int version : folder.versions())
            if (version > *request.since && version <= result.version) {
                std::ifstream in(folder.version_path(version) / "CHANGES.txt");
                result.changes_since.emplace_back(std::istreambuf_iterator<char>(in),
                                                  std::istreambuf_iterator<char>());
            }
    const json manifest = folder.manifest(result.version);
    const auto items = reading_json_of(folder.version_path(result.version) / "manifest.json", [&] {
        return choose_files(request, folder, result.version, manifest);
    });
    ensure_writable_directory(request.to);
    PublishLock lock(request.to, ".storyreel-pull.lock");
    remove_abandoned_partials(request.to);
    PullState state(request.to);
    const std::string key = folder.show() + "/" + folder.sequence();
    std::vector<FetchedFile> pending;
    std::vector<const PullItem*> fetched;
    std::vector<MhlHash> checked_in_place;
    for (const auto& item : items) {
        const fs::path target = request.to / item.name;
        result.files.push_back({item.name, item.source, false});
        if (state.has(key, target, item.sha256, item.movie_pulled.string())) continue;
        if (item.movie_pulled.empty() && fs::exists(target) &&
            fs::file_size(target) == fs::file_size(item.source)) {
            const DeliveryHashes present = hash_delivered_file(target);
            if (present.sha256 == item.sha256) {
                state.record(key, result.version, target, item.sha256, "");
                checked_in_place.push_back(
                    mhl_hash_of(request.to, target, present.xxh128, "verified"));
                continue;
            }
        }
        pending.push_back(fetch(item, request.to, request.link));
        fetched.push_back(&item);
        result.files.back().copied = true;
        result.files.back().transfer = pending.back().transfer;
    }
    // Every file checked: only now replace the editor's copies.
    std::vector<MhlHash> delivered;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        pending[i].file.commit();
        const fs::path target = request.to / fetched[i]->name;
        state.record(key, result.version, target, fetched[i]->sha256,
                     fetched[i]->movie_pulled.string());
        delivered.push_back(mhl_hash_of(request.to, target, pending[i].xxh128));
    }
    state.save();
    if (!delivered.empty()) {
        delivered.insert(delivered.end(), checked_in_place.begin(), checked_in_place.end());
        record_delivery(request.to, result, std::move(delivered));
    }
    return result;
}

}  // namespace storyreel::publish
