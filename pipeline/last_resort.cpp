#include "pipeline/last_resort.h"

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>

#include "pipeline/exit_codes.h"

namespace storyreel {

namespace {

/// What the exception in flight says; "unknown exception" for a non-std one.
std::string describe(const std::exception_ptr& error) {
    try {
        if (error) std::rethrow_exception(error);
    } catch (const std::exception& caught) {
        return caught.what();
    } catch (...) {
        return "unknown exception";
    }
    return "std::terminate called without an exception";
}

void report(const std::string& what) {
    std::fprintf(stderr, "storyreel: internal error: %s (please report)\n", what.c_str());
    std::fflush(stderr);
}

[[noreturn]] void terminate_with_message() {
    report(describe(std::current_exception()));
    std::fflush(stdout);
    ::_exit(kExitInternalError);  // not exit(): other threads may still hold locks
}

}  // namespace

int run_with_last_resort(const std::function<int()>& command) {
    try {
        return command();
    } catch (...) {
        report(describe(std::current_exception()));
        return kExitInternalError;
    }
}

void install_last_resort_terminate() { std::set_terminate(terminate_with_message); }

}  // namespace storyreel
