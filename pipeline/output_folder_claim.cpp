#include "pipeline/output_folder_claim.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "pipeline/diagnostics.h"
#include "pipeline/utc_time.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

constexpr const char* kLockName = ".storyreel-lock";

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown host";
    return name;
}

/// "pid 1234 on host render07 since 2026-12-06T04:31:07Z", as the holder wrote it.
std::string holder_of(const fs::path& lock_file) {
    std::ifstream in(lock_file);
    std::string line;
    std::getline(in, line);
    return line.empty() ? "another storyreel build" : "storyreel " + line;
}

[[noreturn]] void refuse(const fs::path& dir, const std::string& who) {
    throw OutputFolderBusy(
        {{dir.string(), 0, 0},
         "output folder",
         "is being written by " + who,
         "wait for that build to finish, or build into another folder with --out"});
}

/// Removes the temporaries builds killed in this folder left behind; how many.
std::size_t remove_leftovers(const fs::path& dir) {
    std::size_t removed = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (!is_build_temporary_name(name)) continue;
        std::error_code ignored;
        if (fs::remove_all(entry.path(), ignored) > 0) {
            spdlog::info("{}: removed {}, left by a build that was killed", dir.string(), name);
            ++removed;
        }
    }
    return removed;
}

}  // namespace

OutputFolderBusy::OutputFolderBusy(Diagnostic diagnostic) : BuildError(std::move(diagnostic)) {}

bool is_build_temporary_name(const std::string& name) {
    if (name.empty() || name[0] != '.') return false;
    return name.rfind(".storyreel-work-", 0) == 0 || name.rfind(".storyreel-write-test-", 0) == 0 ||
           name.find(".partial-") != std::string::npos ||
           name.find(".patching-") != std::string::npos;
}

OutputFolderClaim::OutputFolderClaim(const fs::path& dir, Mode mode) {
    const fs::path lock_file = dir / kLockName;
    fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
        throw BuildError({{lock_file.string(), 0, 0},
                          "output folder",
                          std::string("cannot create its lock file: ") + std::strerror(errno),
                          "check that the output folder is writable"});
    const int operation = mode == Mode::exclusive ? LOCK_EX : LOCK_SH;
    if (::flock(fd_, operation | LOCK_NB) != 0) {
        const int code = errno;
        std::string who = holder_of(lock_file);
        if (mode == Mode::exclusive && ::flock(fd_, LOCK_SH | LOCK_NB) == 0)
            who = "farm shard tasks filling its cache";  // only shared holders
        ::close(fd_);
        fd_ = -1;
        if (code != EWOULDBLOCK)
            throw BuildError({{lock_file.string(), 0, 0},
                              "output folder",
                              std::string("cannot lock it: ") + std::strerror(code),
                              "check that the output folder's filesystem supports locks"});
        refuse(dir, who);
    }
    if (mode == Mode::shared) return;
    std::ostringstream holder;
    holder << "pid " << ::getpid() << " on host " << host_name() << " since " << utc_time_now()
           << "\n";
    const std::string text = holder.str();
    if (::ftruncate(fd_, 0) == 0) {
        [[maybe_unused]] const ssize_t written = ::pwrite(fd_, text.data(), text.size(), 0);
    }
    leftovers_removed_ = remove_leftovers(dir);
}

OutputFolderClaim::~OutputFolderClaim() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace storyreel
