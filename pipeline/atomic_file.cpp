#include "pipeline/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "pipeline/diagnostics.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

std::atomic<unsigned> pending_counter{0};

void fsync_path(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

PendingFile::PendingFile(fs::path final_path) : final_(std::move(final_path)) {
    const std::string name = "." + final_.stem().string() + ".partial-" +
                             std::to_string(::getpid()) + "-" + std::to_string(pending_counter++) +
                             final_.extension().string();
    temporary_ = final_.parent_path() / name;
}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : final_(std::move(other.final_)), temporary_(std::move(other.temporary_)), done_(other.done_) {
    other.done_ = true;
}

PendingFile::~PendingFile() { discard(); }

void PendingFile::commit(Durability durability) {
    const bool synced = durability == Durability::Synced;
    if (synced) fsync_path(temporary_);
    std::error_code error;
    fs::rename(temporary_, final_, error);
    if (error)
        throw BuildError({{final_.string(), 0, 0},
                          {},
                          "cannot move the finished file into place: " + error.message(),
                          "check permissions of the output folder"});
    if (synced) fsync_path(final_.parent_path());
    done_ = true;
}

void PendingFile::discard() noexcept {
    if (done_) return;
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    done_ = true;
}

void write_file_atomically(const fs::path& path, const std::string& text, Durability durability) {
    PendingFile pending(path);
    {
        std::ofstream out(pending.temporary_path(), std::ios::binary);
        out << text;
        out.close();
        if (!out)
            throw BuildError({{path.string(), 0, 0},
                              {},
                              "cannot write file",
                              "check free space and permissions"});
    }
    pending.commit(durability);
}

void ensure_writable_directory(const fs::path& dir) {
    std::error_code error;
    fs::create_directories(dir, error);
    if (error || !fs::is_directory(dir))
        throw BuildError({{dir.string(), 0, 0},
                          "output folder",
                          "cannot create it" + (error ? ": " + error.message() : std::string()),
                          "choose a folder you can write to with --out"});
    const fs::path probe = dir / (".storyreel-write-test-" + std::to_string(::getpid()));
    int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw BuildError({{dir.string(), 0, 0},
                          "output folder",
                          std::string("is not writable: ") + std::strerror(errno),
                          "choose a folder you can write to with --out, or fix its permissions"});
    ::close(fd);
    fs::remove(probe, error);
}

}  // namespace storyreel
