#include "pipeline/interruption.h"

#include <signal.h>

#include <atomic>
#include <cstring>
#include <string>

namespace storyreel {

namespace {

// The one piece of process-wide state: a signal handler can reach nothing else.
std::atomic<int> requested_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the flag is set from a signal handler");

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction previous[std::size(kSignals)];

extern "C" void on_stop_signal(int signal) {
    int none = 0;
    requested_signal.compare_exchange_strong(none, signal);
    // A second one of the same kind takes the default action: the process ends now.
    struct sigaction fallback {};
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    ::sigaction(signal, &fallback, nullptr);
}

std::string describe(int signal) {
    switch (signal) {
        case SIGINT:
            return "interrupted (Ctrl-C, SIGINT)";
        case SIGTERM:
            return "stopped by SIGTERM (a cancel from the scheduler or `kill`)";
        case SIGHUP:
            return "stopped by SIGHUP (the terminal was closed)";
        default:
            return std::string("stopped by signal ") + std::to_string(signal);
    }
}

}  // namespace

BuildInterrupted::BuildInterrupted(int signal)
    : std::runtime_error(describe(signal) + ": the build stopped before committing anything"),
      signal_(signal) {}

InterruptGuard::InterruptGuard() {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;  // reads and writes in progress carry on; the flag is polled
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &action, &previous[i]);
}

InterruptGuard::~InterruptGuard() {
    for (std::size_t i = 0; i < std::size(kSignals); ++i)
        ::sigaction(kSignals[i], &previous[i], nullptr);
}

int interrupt_signal() noexcept { return requested_signal.load(std::memory_order_relaxed); }

void stop_if_interrupted() {
    if (const int signal = interrupt_signal()) throw BuildInterrupted(signal);
}

void clear_interrupt() noexcept { requested_signal.store(0); }

}  // namespace storyreel
