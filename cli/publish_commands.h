#pragma once
// The publishing side of the command line: `build --publish`, `cuts` and `pull`.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "pipeline/build.h"

namespace storyreel {

/// `--publish` publishes whole sequences: refuses `--only SEQ/SHOT` (kExitUsage).
int check_publish_selection(const BuildOptions& options);

/// Where a build publishes: --publish, else the pipeline's publish stage's root, else
/// `settings.publish`; empty: it does not publish.
std::filesystem::path publish_root_for(const PipelineSpec& pipeline, const BuildOptions& options);

/// Checks run with the build's validation: a publish stage has a root (its own or
/// --publish), and the publish root is apart from the output folder.
std::function<void(const PipelineSpec&, Diagnostics&)> publish_checks(const BuildOptions& options);

/// After a successful build: publishes (see publish_root_for) the files of the publish
/// stage's output stages (all without one) and prints what happened per sequence.
/// Returns the exit code.
int publish_after_build(const BuildResult& result, const BuildOptions& options);

struct CutsOptions {
    std::string root;
    std::string show;
    std::string sequence;
    bool changed = false;  ///< write a cut list of the changed events
    std::string edl;       ///< where the CMX3600 EDL goes (with --changed)
    std::string otio;      ///< where the OpenTimelineIO goes (with --changed)
    std::string version = "latest";
    std::string stage;  ///< the movie the EDL sources (default: the first)
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
