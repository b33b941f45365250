#pragma once
// The publishing side of the command line: `build --publish`, `cuts` and `pull`.

#include <string>
#include <vector>

#include "cli/commands.h"
#include "pipeline/build.h"

namespace storyreel {

/// `--publish` publishes whole sequences: refuses `--only SEQ/SHOT` (kExitUsage).
int check_publish_selection(const BuildOptions& options);

/// After a successful build: publishes to --publish or the pipeline's `settings.publish`
/// (if either is set) and prints what happened per sequence. Returns the exit code.
int publish_after_build(const BuildResult& result, const BuildOptions& options);

struct CutsOptions {
    std::string root;
    std::string show;
    std::string sequence;
    bool changed = false;       ///< write a cut list of the changed events
    std::string edl;            ///< where (with --changed)
    std::string version = "latest";
    std::string stage;          ///< the movie the EDL sources (default: the first)
};

struct PullOptions {
    std::string root;
    std::string show;
    std::string sequence;
    std::string to;
    std::string version = "latest";
    int since = -1;
    std::vector<std::string> what;   ///< movie,edl,otio,xml,changes,manifest
    std::vector<std::string> names;  ///< KIND=TEMPLATE
    bool link = false;
};

int run_cuts(const CutsOptions& options);
int run_pull(const PullOptions& options);

}  // namespace storyreel
