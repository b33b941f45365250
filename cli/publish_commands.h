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

}  // namespace storyreel
