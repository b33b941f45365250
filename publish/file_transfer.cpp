#include "publish/file_transfer.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "publish/publish_error.h"

namespace storyreel::publish {

namespace fs = std::filesystem;

namespace {

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
  public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }
    /// Closes now, returning close(2)'s errno (0 when it succeeded).
    int close() {
        const int result = ::close(fd_);
        fd_ = -1;
        return result == 0 ? 0 : errno;
    }

  private:
    int fd_;
};

/// Errors of copy_file_range that mean "not here, copy another way" rather than a failure.
bool copy_file_range_unsupported(int code) {
    return code == EXDEV || code == EINVAL || code == ENOSYS || code == EOPNOTSUPP ||
           code == EBADF || code == ETXTBSY || code == EPERM;
}

/// Copies `size` bytes with copy_file_range: 0, or ENOTSUP when the kernel or filesystem
/// cannot (before anything was copied), or the errno of a failure.
int copy_by_copy_file_range(int in, int out, std::uint64_t size) {
    std::uint64_t done = 0;
    while (done < size) {
        const ssize_t n = ::copy_file_range(in, nullptr, out, nullptr, size - done, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return done == 0 && copy_file_range_unsupported(errno) ? ENOTSUP : errno;
        if (n == 0) return EIO;  // the source ended early: it shrank while we copied
        done += static_cast<std::uint64_t>(n);
    }
    return 0;
}

/// Copies `size` bytes through a buffer: 0 or an errno.
int copy_by_reading(int in, int out, std::uint64_t size) {
    if (::lseek(in, 0, SEEK_SET) < 0 || ::lseek(out, 0, SEEK_SET) < 0 || ::ftruncate(out, 0) != 0)
        return errno;
    std::vector<char> buffer(std::size_t{4} << 20);
    std::uint64_t done = 0;
    while (done < size) {
        const ssize_t got = ::read(in, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno;
        if (got == 0) return EIO;
        for (ssize_t written = 0; written < got;) {
            const ssize_t n =
                ::write(out, buffer.data() + written, static_cast<std::size_t>(got - written));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return n < 0 ? errno : ENOSPC;
            written += n;
        }
        done += static_cast<std::uint64_t>(got);
    }
    return 0;
}

}  // namespace

std::string copy_method_name(CopyMethod method) {
    switch (method) {
        case CopyMethod::reflink:
            return "reflink";
        case CopyMethod::copy_file_range:
            return "copy_file_range";
        case CopyMethod::plain:
            return "copy";
    }
    return "copy";
}

std::optional<CopyMethod> copy_method_named(const std::string& name) {
    for (CopyMethod method : {CopyMethod::reflink, CopyMethod::copy_file_range, CopyMethod::plain})
        if (copy_method_name(method) == name) return method;
    return std::nullopt;
}

CopyMethod cheapest_allowed_copy_method() {
    const char* named = std::getenv("STORYREEL_COPY_METHOD");
    if (!named || !*named) return CopyMethod::reflink;
    const auto method = copy_method_named(named);
    if (!method)
        throw PublishError(
            std::string("STORYREEL_COPY_METHOD=") + named +
            ": not a copy method (use reflink, copy_file_range or copy, or unset it)");
    return *method;
}

CopyMethod copy_file_independently(const fs::path& from, const fs::path& to, CopyMethod cheapest) {
    const auto fail = [&](const std::string& what, int code) -> CopyMethod {
        throw PublishError(from.string() + ": cannot copy to " + to.string() + ": " + what + ": " +
                           std::strerror(code) + " (check the folder is writable and has space)");
    };
    FileDescriptor in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) return fail("cannot open it", errno);
    struct stat status {};
    if (::fstat(in.get(), &status) != 0) return fail("cannot read its size", errno);
    FileDescriptor out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (out.get() < 0) return fail("cannot create the copy", errno);
    const auto size = static_cast<std::uint64_t>(status.st_size);
    CopyMethod used = CopyMethod::plain;
    int error = 0;
    if (cheapest == CopyMethod::reflink && ::ioctl(out.get(), FICLONE, in.get()) == 0) {
        used = CopyMethod::reflink;
    } else if (cheapest != CopyMethod::plain &&
               (error = copy_by_copy_file_range(in.get(), out.get(), size)) == 0) {
        used = CopyMethod::copy_file_range;
    } else if (error == 0 || error == ENOTSUP) {
        error = copy_by_reading(in.get(), out.get(), size);
    }
    if (error == 0) error = out.close();
    if (error != 0) {
        ::unlink(to.c_str());
        return fail("while copying (" + copy_method_name(used) + ")", error);
    }
    return used;
}

}  // namespace storyreel::publish
