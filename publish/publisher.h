#pragma once
// Publishing a finished build: each output unit (a sequence) becomes the next version under
// ROOT/<show>/<sequence>/, atomically (see sequence_folder.h), unless nothing that
// determines its cut changed since the newest version.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "pipeline/build.h"

namespace storyreel::publish {

struct PublishOptions {
    std::filesystem::path root;
    bool force = false;  ///< publish a new version even when the cut did not change
    /// Output stages whose files are published (a publish stage's needs); empty: all.
    std::set<std::string> stages;
};

/// What publishing did for one sequence.
struct PublishOutcome {
    std::string show;
    std::string sequence;
    bool published = false;        ///< false: unchanged, nothing written
    int version = 0;               ///< the new version, or the newest one when unchanged
    std::filesystem::path folder;  ///< the version's folder
    std::string summary;           ///< what changed, one line
};

/// Publishes every unit of `result`. Sequences already published are not rolled back when a
/// later one fails. Throws PublishError (with the file and what to do).
std::vector<PublishOutcome> publish_build(const BuildResult& result, const PublishOptions& options);

/// Test seam for the crash tests: when the environment variable STORYREEL_PUBLISH_STOP_AT
/// names `point` ("staging", "copied", "written", "renamed", "switched"), the process stops
/// itself (SIGSTOP) there so a test can kill it at exactly that moment.
void stop_point(const char* point);

}  // namespace storyreel::publish
