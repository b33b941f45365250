#include "tests/support/cli_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <system_error>

#ifndef STORYREEL_BINARY
#error "tests need STORYREEL_BINARY, the path of the built storyreel command"
#endif

namespace storyreel::testing {

namespace fs = std::filesystem;

namespace {

constexpr auto kRunTimeLimit = std::chrono::seconds(120);

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

/// A file descriptor closed when it goes out of scope.
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    int fd_ = -1;
};

struct Pipe {
    Fd read_end, write_end;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno("pipe2");
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

/// Reads stdout and stderr of the child until both are closed or the time limit passes.
/// Returns false on timeout.
bool drain(int out_fd, int err_fd, std::string& out, std::string& err) {
    const auto deadline = std::chrono::steady_clock::now() + kRunTimeLimit;
    std::array<pollfd, 2> fds{pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
    std::array<std::string*, 2> sinks{&out, &err};
    char buffer[8192];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw_errno("poll");
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                fds[i].fd = -1;  // closed (or broken): poll ignores negative descriptors
            }
        }
    }
    return true;
}

}  // namespace

CliResult run_storyreel(const std::vector<std::string>& args, const fs::path& cwd,
                        const std::function<void(pid_t)>& started) {
    std::vector<std::string> command{STORYREEL_BINARY};
    command.insert(command.end(), args.begin(), args.end());
    return run_program(command, cwd, started);
}

CliResult run_program(const std::vector<std::string>& command, const fs::path& cwd,
                      const std::function<void(pid_t)>& started) {
    // Everything the child needs is prepared before fork: after it, only
    // async-signal-safe calls are allowed (the test process has other threads).
    std::vector<std::string> storage = command;
    const std::string binary = storage.at(0);
    std::vector<char*> argv;
    for (auto& arg : storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string directory = cwd.string();

    Fd null_input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (null_input.get() < 0) throw_errno("open /dev/null");
    Pipe out = make_pipe();
    Pipe err = make_pipe();

    const pid_t pid = ::fork();
    if (pid < 0) throw_errno("fork");
    if (pid == 0) {
        // dup2 clears O_CLOEXEC on the copies; every other descriptor closes on exec.
        if (::dup2(null_input.get(), STDIN_FILENO) < 0 ||
            ::dup2(out.write_end.get(), STDOUT_FILENO) < 0 ||
            ::dup2(err.write_end.get(), STDERR_FILENO) < 0)
            ::_exit(126);
        if (!directory.empty() && ::chdir(directory.c_str()) != 0) ::_exit(126);
        ::execvp(binary.c_str(), argv.data());
        ::_exit(127);
    }
    out.write_end.reset();
    err.write_end.reset();
    if (started) started(pid);

    CliResult result;
    const bool finished = drain(out.read_end.get(), err.read_end.get(), result.out, result.err);
    if (!finished) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) throw_errno("waitpid");
    if (WIFEXITED(status))
        result.exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        result.exit_code = 128 + WTERMSIG(status);
    if (!finished) result.err += "\n[cli_runner: killed after the time limit]\n";
    return result;
}

std::string describe(const CliResult& result) {
    return "exit " + std::to_string(result.exit_code) + "\n--- stdout ---\n" + result.out +
           "--- stderr ---\n" + result.err;
}

std::vector<fs::path> list_files_recursive(const fs::path& dir) {
    std::vector<fs::path> entries;
    std::error_code error;
    if (!fs::is_directory(dir, error)) return entries;
    for (auto it = fs::recursive_directory_iterator(dir, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error))
        entries.push_back(it->path().lexically_relative(dir));
    std::sort(entries.begin(), entries.end());
    return entries;
}

}  // namespace storyreel::testing
