#pragma once
// The nightly build: for every project in configs/nightly.yaml, find the sequences whose
// cut changed since their newest published version (the publish manifest's fingerprint:
// boards' content, holds, order, dialogue, audio, show and stage settings), and submit a
// farm job building and publishing only those. A night with no change submits nothing.
//
// It schedules builds and publishing, above both farm/ (which only turns one build into
// tasks for a scheduler) and publish/.

#include <filesystem>
#include <string>
#include <vector>

#include "farm/farm_job.h"
#include "pipeline/build.h"
#include "pipeline/stage_registry.h"

namespace storyreel::nightly {

struct NightlyProject {
    std::filesystem::path project, pipeline, output;
};

struct NightlyConfig {
    std::filesystem::path file;
    farm::SubmitOptions submit;  ///< engine, cache, shards, wait, Slurm settings (paths absolute)
    std::filesystem::path publish_root;
    std::filesystem::path spool_root;  ///< each job's spool goes in SPOOL_ROOT/<job>
    std::vector<NightlyProject> projects;
};

/// Reads and checks the whole file; throws ValidationError listing every problem with
/// file:line:column. Relative paths are relative to the file's folder.
NightlyConfig load_nightly_config(const std::filesystem::path& file);

/// One sequence compared with its newest published version.
struct SequenceChange {
    std::string sequence;
    bool changed = false;
    int published_version = 0;  ///< 0: never published
    std::string summary;  ///< "first version", "1 redrawn, 2 re-timed", "unchanged since v003"
};

/// Compares every sequence of `build` with ROOT/<show>/<sequence>/'s newest manifest.
std::vector<SequenceChange> compare_with_published(const ValidatedBuild& build,
                                                   const StageRegistry& registry,
                                                   const std::filesystem::path& publish_root);

}  // namespace storyreel::nightly
