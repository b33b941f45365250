#pragma once
// One build at a time writes into an output folder.
//
// Two builds into one folder (a TD's manual build overlapping the nightly one) would race
// to rename movies into place, patch the same movie and record each other's movies in the
// build log. A build therefore claims its output folder for as long as it runs, with an
// advisory lock on `OUT/.storyreel-lock` (flock: released by the kernel however the
// process ends, so a killed build never leaves the folder locked; emulated with POSIX
// locks over NFS):
//   - exclusive for a build that writes movies: a second one is refused, naming the
//     process (and host) that holds the folder;
//   - shared for a farm shard task, which only fills the cache (and keeps its scratch
//     folder under OUT): shards of one job run side by side, a movie-writing build waits
//     for none of them and is refused while they run.
// Holding the folder exclusively also makes it safe to tidy up after builds that were
// killed (SIGKILL, a node lost, power cut): hidden temporaries only a build writes
// (".<name>.partial-*", ".<name>.patching-*", ".storyreel-work-*") cannot belong to
// anyone else, and are removed before work starts.

#include <filesystem>
#include <string>

#include "pipeline/diagnostics.h"

namespace storyreel {

/// Another build holds the output folder (on a farm: worth running the task again later).
class OutputFolderBusy : public BuildError {
  public:
    explicit OutputFolderBusy(Diagnostic diagnostic);
};

class OutputFolderClaim {
  public:
    enum class Mode { exclusive, shared };

    /// Claims `dir` (which must exist). Throws BuildError naming the folder and who holds
    /// it when another build does. An exclusive claim then removes what killed builds left.
    OutputFolderClaim(const std::filesystem::path& dir, Mode mode);
    ~OutputFolderClaim();
    OutputFolderClaim(const OutputFolderClaim&) = delete;
    OutputFolderClaim& operator=(const OutputFolderClaim&) = delete;

    /// Temporaries of killed builds removed when the folder was claimed.
    std::size_t leftovers_removed() const { return leftovers_removed_; }

  private:
    int fd_ = -1;
    std::size_t leftovers_removed_ = 0;
};

/// True for the hidden temporary names only a build writes into its output folder.
bool is_build_temporary_name(const std::string& file_name);

}  // namespace storyreel
