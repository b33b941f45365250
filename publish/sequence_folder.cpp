#include "publish/sequence_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "pipeline/atomic_file.h"
#include "pipeline/checked_number.h"
#include "pipeline/input_limits.h"
#include "pipeline/json_number.h"
#include "publish/publish_error.h"

namespace storyreel::publish {

namespace fs = std::filesystem;
using nlohmann::json;

std::string show_folder_name(const std::string& show) {
    std::string name = show.empty() ? "show" : show;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            c = '_';
    if (name[0] == '.') name[0] = '_';
    return name;
}

SequenceFolder::SequenceFolder(fs::path root, const std::string& show, const std::string& sequence)
    : path_(std::move(root) / show_folder_name(show) / show_folder_name(sequence)) {}

SequenceFolder::SequenceFolder(fs::path folder) : path_(std::move(folder)) {}

std::string SequenceFolder::version_name(int version) {
    char text[16];
    std::snprintf(text, sizeof text, "v%03d", version);
    return text;
}

std::optional<int> SequenceFolder::parse_version_name(const std::string& name) {
    if (name.size() < 4 || name[0] != 'v' || name.size() > 10) return std::nullopt;
    if (!std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    const auto version = parse_integer(name.substr(1), 1, 999'999'999);
    if (!version || version_name(static_cast<int>(*version)) != name) return std::nullopt;
    return static_cast<int>(*version);
}

std::vector<int> SequenceFolder::versions() const {
    std::vector<int> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path_, error)) {
        auto version = parse_version_name(entry.path().filename().string());
        if (version && !entry.is_symlink() && fs::is_regular_file(entry.path() / "manifest.json"))
            found.push_back(*version);
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::optional<int> SequenceFolder::newest() const {
    const auto all = versions();
    if (all.empty()) return std::nullopt;
    return all.back();
}

int SequenceFolder::highest_number() const {
    int highest = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path_, error))
        if (auto version = parse_version_name(entry.path().filename().string()))
            highest = std::max(highest, *version);
    return highest;
}

std::optional<int> SequenceFolder::linked_latest() const {
    std::error_code error;
    const fs::path target = fs::read_symlink(path_ / "latest", error);
    if (error) return std::nullopt;
    return parse_version_name(target.filename().string());
}

json SequenceFolder::manifest(int version) const {
    return read_json_file(version_path(version) / "manifest.json");
}

void SequenceFolder::switch_latest(int version, const json& manifest) const {
    const fs::path temporary = path_ / (".latest.tmp-" + std::to_string(::getpid()));
    std::error_code ignored;
    fs::remove(temporary, ignored);
    std::error_code error;
    fs::create_directory_symlink(version_name(version), temporary, error);
    if (error)
        throw PublishError(temporary.string() +
                           ": cannot create the latest link: " + error.message());
    fs::rename(temporary, path_ / "latest", error);  // rename(2) replaces the old link atomically
    if (error) {
        fs::remove(temporary, ignored);
        throw PublishError((path_ / "latest").string() + ": cannot switch: " + error.message());
    }
    const json latest = {{"show", show()},
                         {"sequence", sequence()},
                         {"version", version},
                         {"path", version_name(version)},
                         {"created", manifest.value("created", "")},
                         {"fingerprint", manifest.value("fingerprint", "")},
                         {"frame_count", json_integer_or(manifest, "frame_count", 0, 0,
                                                         std::numeric_limits<std::int64_t>::max())},
                         {"manifest", version_name(version) + "/manifest.json"}};
    write_file_atomically(path_ / "latest.json", latest.dump(2) + "\n");
    sync_path(path_);
}

void SequenceFolder::remove_abandoned_staging() const {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(path_, error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(".staging-", 0) != 0) continue;
        const auto pid = parse_integer(name.substr(std::strlen(".staging-")), 1, INT32_MAX);
        if (pid && (::kill(static_cast<pid_t>(*pid), 0) == 0 || errno == EPERM))
            continue;  // still running
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

std::vector<SequenceFolder> find_sequences(const fs::path& root, const std::string& show,
                                           const std::string& sequence) {
    std::vector<SequenceFolder> found;
    std::error_code error;
    for (const auto& show_dir : fs::directory_iterator(root, error)) {
        const std::string show_name = show_dir.path().filename().string();
        if (!show_dir.is_directory() || show_name[0] == '.') continue;
        if (!show.empty() && show_name != show && show_name != show_folder_name(show)) continue;
        for (const auto& sequence_dir : fs::directory_iterator(show_dir.path(), error)) {
            const std::string name = sequence_dir.path().filename().string();
            if (!sequence_dir.is_directory() || name[0] == '.') continue;
            if (!sequence.empty() && name != sequence && name != show_folder_name(sequence))
                continue;
            found.emplace_back(sequence_dir.path());
        }
    }
    std::sort(found.begin(), found.end(),
              [](const SequenceFolder& a, const SequenceFolder& b) { return a.path() < b.path(); });
    return found;
}

PublishLock::PublishLock(const fs::path& folder, const std::string& lock_name) {
    const fs::path file = folder / lock_name;
    descriptor_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (descriptor_ < 0)
        throw PublishError(file.string() + ": cannot open the publish lock: " +
                           std::strerror(errno) + " (check the publish folder is writable)");
    while (::flock(descriptor_, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const std::string reason = std::strerror(errno);
        ::close(descriptor_);
        throw PublishError(file.string() + ": cannot lock: " + reason);
    }
}

PublishLock::~PublishLock() {
    if (descriptor_ >= 0) ::close(descriptor_);  // closing releases the flock
}

json read_json_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw PublishError(path.string() + ": cannot read (is the publish folder complete?)");
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (json_too_deep_at(text, InputLimits{}.max_nesting_depth))
        throw PublishError(path.string() +
                           ": not a file storyreel wrote: JSON nested deeper than " +
                           std::to_string(InputLimits{}.max_nesting_depth) + " levels");
    try {
        return json::parse(text);
    } catch (const json::exception& error) {
        throw PublishError(path.string() + ": not valid JSON: " + error.what());
    }
}

PublishError unexpected_json_content(const fs::path& file, const json::exception& error) {
    std::string what = error.what();  // "[json.exception.type_error.302] type must be ..."
    if (const auto end = what.find("] ");
        what.rfind("[json.exception", 0) == 0 && end != std::string::npos)
        what.erase(0, end + 2);
    return PublishError(
        file.string() + ": not as storyreel writes it (" + what +
        "); the file was edited or damaged: restore it, or publish the sequence again");
}

void sync_path(const fs::path& path) {
    const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0)
        throw PublishError(path.string() + ": cannot open to sync: " + std::strerror(errno));
    const int status = ::fsync(descriptor);
    const int saved = errno;
    ::close(descriptor);
    if (status != 0) throw PublishError(path.string() + ": fsync failed: " + std::strerror(saved));
}

}  // namespace storyreel::publish
