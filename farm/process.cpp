#include "farm/process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

extern char** environ;

namespace storyreel::farm {

namespace {

std::vector<char*> argv_of(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    return argv;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

/// $TMPDIR when set (the user's or the scheduler's choice: a job's private scratch), else /tmp.
std::string temporary_folder() {
    const char* tmpdir = std::getenv("TMPDIR");
    return tmpdir && *tmpdir ? tmpdir : "/tmp";
}

/// An unlinked temporary file to collect one stream.
class CaptureFile {
  public:
    CaptureFile() {
        std::string name = temporary_folder() + "/storyreel-capture-XXXXXX";
        fd_ = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd_ < 0)
            throw std::system_error(
                errno, std::generic_category(),
                "cannot create a capture file " + name + " (set TMPDIR to a writable folder)");
        ::unlink(name.c_str());
    }
    ~CaptureFile() { ::close(fd_); }
    int fd() const { return fd_; }
    std::string read_all() const {
        std::string text;
        char buffer[4096];
        ::lseek(fd_, 0, SEEK_SET);
        for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
        return text;
    }

  private:
    int fd_ = -1;
};

pid_t spawn_with_fds(const std::vector<std::string>& args, int out_fd, int err_fd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
    pid_t pid = -1;
    auto argv = argv_of(args);
    const int error = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0)
        throw std::system_error(error, std::generic_category(), "cannot start " + args.front());
    return pid;
}

}  // namespace

ProcessOutput run_process(const std::vector<std::string>& args) {
    CaptureFile out, err;
    ProcessOutput result;
    pid_t pid = -1;
    try {
        pid = spawn_with_fds(args, out.fd(), err.fd());
    } catch (const std::system_error& error) {
        result.exit_code = 127;
        result.err = error.what();
        return result;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = decode_status(status);
    result.out = out.read_all();
    result.err = err.read_all();
    return result;
}

pid_t start_logged_process(const std::vector<std::string>& args, const std::filesystem::path& log) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::system_error(errno, std::generic_category(), "cannot open " + log.string());
    try {
        const pid_t pid = spawn_with_fds(args, fd, fd);
        ::close(fd);
        return pid;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

pid_t wait_any_child(int& exit_code) {
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, 0)) < 0 && errno == EINTR) {
    }
    if (pid > 0) exit_code = decode_status(status);
    return pid;
}

std::string first_line(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        const auto begin = line.find_first_not_of(" \t\r");
        if (begin == std::string::npos) continue;
        const auto end = line.find_last_not_of(" \t\r");
        return line.substr(begin, end - begin + 1);
    }
    return {};
}

}  // namespace storyreel::farm
