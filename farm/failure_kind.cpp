#include "farm/failure_kind.h"

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "pipeline/diagnostics.h"
#include "pipeline/exit_codes.h"
#include "pipeline/output_folder_claim.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

bool is_under(const fs::path& file, const fs::path& folder) {
    if (folder.empty() || file.empty()) return false;
    std::error_code ignored;
    const fs::path a = fs::weakly_canonical(fs::absolute(file, ignored), ignored);
    const fs::path b = fs::weakly_canonical(fs::absolute(folder, ignored), ignored);
    const auto relative = a.lexically_relative(b);
    return !relative.empty() && *relative.begin() != "..";
}

bool is_transient_errno(int value) {
    switch (value) {
        case EIO:
        case ENOSPC:
        case ESTALE:
        case ETIMEDOUT:
        case EAGAIN:
        case EBUSY:
        case ENOTCONN:
        case ECONNRESET:
        case EHOSTDOWN:
        case EHOSTUNREACH:
        case ENETDOWN:
        case ENETUNREACH:
        case EDQUOT:
        case EINTR:
            return true;
        default:
            return false;
    }
}

}  // namespace

bool is_transient_failure(const std::exception& error, const fs::path& cache_root) {
    if (dynamic_cast<const OutputFolderBusy*>(&error)) return true;  // its holder will finish
    if (const auto* build = dynamic_cast<const BuildError*>(&error)) {
        const Diagnostic& what = build->diagnostic();
        return what.subject == "cache" || is_under(what.where.file, cache_root);
    }
    if (const auto* system = dynamic_cast<const std::system_error*>(&error))
        return system->code().category() == std::generic_category() ||
                       system->code().category() == std::system_category()
                   ? is_transient_errno(system->code().value())
                   : false;
    return false;
}

int exit_code_for_failure(const std::exception& error, const fs::path& cache_root) {
    // Inputs and the system fail as runtime errors (BuildError, system_error...); anything
    // else (a logic_error, a JSON type_error) is a bug, reported as the command line does.
    if (!dynamic_cast<const std::runtime_error*>(&error)) return kExitInternalError;
    return is_transient_failure(error, cache_root) ? kExitRetry : kExitBuildFailed;
}

}  // namespace storyreel::farm
