#include "pipeline/file_stamp.h"

#include <sys/stat.h>

#include <chrono>

#include "pipeline/json_number.h"

namespace storyreel {

namespace {

constexpr std::int64_t kSettleNanoseconds = 2'000'000'000;

std::int64_t nanoseconds(const timespec& time) {
    return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

}  // namespace

std::optional<FileStamp> FileStamp::of(const std::filesystem::path& path) {
    struct stat status {};
    if (::stat(path.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) return std::nullopt;
    return FileStamp{static_cast<std::uint64_t>(status.st_size), nanoseconds(status.st_mtim),
                     nanoseconds(status.st_ctim), static_cast<std::uint64_t>(status.st_ino)};
}

bool FileStamp::settled() const {
    const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    return now - mtime_ns >= kSettleNanoseconds && now - ctime_ns >= kSettleNanoseconds;
}

nlohmann::json FileStamp::to_json() const {
    return {{"size", size}, {"mtime_ns", mtime_ns}, {"ctime_ns", ctime_ns}, {"inode", inode}};
}

std::optional<FileStamp> FileStamp::from_json(const nlohmann::json& json) {
    try {
        constexpr auto kLeast = std::numeric_limits<std::int64_t>::min();
        constexpr auto kMost = std::numeric_limits<std::int64_t>::max();
        return FileStamp{
            json_unsigned_at(json, "size"), json_integer_at(json, "mtime_ns", kLeast, kMost),
            json_integer_at(json, "ctime_ns", kLeast, kMost), json_unsigned_at(json, "inode")};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace storyreel
