#pragma once
// Whether a failed task should be run again (exit 75) or has failed for good.
//
// On a farm the shared cache lives on network storage: a folder that is briefly not
// writable, a stale NFS handle or a full disk on one node are worth a retry; a corrupt
// board or a bad project is not, and retrying it would only repeat the same message.

#include <exception>
#include <filesystem>

namespace storyreel::farm {

/// True for problems with the shared cache (BuildError about the cache or a file under
/// `cache_root`) and for system errors that are typically transient on shared storage
/// (EIO, ENOSPC, ESTALE, ETIMEDOUT, EAGAIN, EBUSY, network errors).
bool is_transient_failure(const std::exception& error, const std::filesystem::path& cache_root);

/// kExitRetry for transient failures, kExitInternalError (70) for an exception that is not a
/// std::runtime_error (a bug: last_resort.h), kExitBuildFailed otherwise.
int exit_code_for_failure(const std::exception& error, const std::filesystem::path& cache_root);

}  // namespace storyreel::farm
