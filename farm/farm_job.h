#pragma once
// A build turned into farm tasks: N shard tasks (each fills the shared shot cache with
// its shots) and one assemble task that depends on all of them (the ordinary build,
// which then finds every shot in the cache and only stream-copies segments into movies).
//
// Every task is a plain `storyreel build ...` command line with absolute paths, so it can
// be logged, re-run by hand and hashed. Shard tasks differ only in "--shard I/N", written
// with a placeholder the engine replaces with its own index token (a number locally,
// ${SLURM_ARRAY_TASK_ID} on Slurm, #IFRAME# on OpenCue, {{Task.Param.Shard}} on OpenJD).

#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "farm/script_quoting.h"
#include "farm/shard_plan.h"
#include "pipeline/audio_analyzer.h"
#include "pipeline/build.h"
#include "pipeline/stage_registry.h"

namespace storyreel::farm {

struct SubmitOptions {
    std::string engine = "local";  ///< local, slurm, opencue, openjd
    std::filesystem::path project, pipeline, output, cache, publish, spool;
    std::filesystem::path script;  ///< --script for the assemble task's production checks
    std::filesystem::path spool_root = "farm-spool";  ///< spool is SPOOL_ROOT/<job> unless given
    std::vector<std::string> only;     ///< --only selections (whole sequences for publishing)
    std::size_t shards = 0;            ///< 0: one per two cores' worth of shots, at most 16
    std::string job_name;              ///< empty: <show>-<UTC time>
    std::filesystem::path executable;  ///< the storyreel the farm nodes run
    std::shared_ptr<AudioAnalyzer> audio_analyzer;  ///< for validating audio-timed projects
    ApplyEditorialCuts apply_cuts;  ///< for validating projects cut by an editor (`cut:`)
    /// Reads Storyboarder scenes and image folders named by --project or `source:` (as
    /// BuildRequest::sources); null: project YAML with `sequences:` only.
    const ProjectSourceReader* sources = nullptr;
    /// Validates the production checks (the `checks:` block, the script) with the build, so a
    /// bad script is refused before anything is submitted; empty: not validated.
    std::function<void(const Project&, const PipelineSpec&, Diagnostics&)> validate_checks;
    bool wait = false;
    // Slurm
    std::string partition, account, qos, time_limit;
    int cpus_per_task = 1;
    int max_retries =
        3;  ///< requeues of a task that exits 75 (local engine; Slurm: MaxBatchRequeue)
};

struct FarmJob {
    std::string name;
    std::string show;  ///< the project's show name
    std::string engine;
    std::filesystem::path spool;  ///< job files and logs
    std::filesystem::path output, cache;
    std::vector<Shard> shards;
    std::vector<std::string> shard_args;     ///< with kShardIndexToken; [0] is the executable
    std::vector<std::string> assemble_args;  ///< [0] is the executable
    SubmitOptions options;

    /// The shard command with `index_token` in place of the index.
    std::vector<std::string> shard_command(const std::string& index_token) const;
    /// Where a task's log goes: SPOOL/logs/<task>.log
    std::filesystem::path log_file(const std::string& task) const;
    /// job.json: what was submitted (and, once submitted, the engine's ids).
    nlohmann::json to_json() const;
};

/// Validates the whole build (throws ValidationError, nothing submitted), splits it into
/// shards and writes the task command lines. Creates the spool folder.
FarmJob plan_farm_job(const SubmitOptions& options, const StageRegistry& registry);

/// Reads SPOOL/job.json of a submitted job: `job` is a spool folder, or a job name under
/// ./farm-spool/. Throws std::runtime_error naming what it looked for.
nlohmann::json load_job_record(const std::string& job, std::filesystem::path* spool);
/// Writes SPOOL/job.json atomically.
void save_job_record(const std::filesystem::path& spool, const nlohmann::json& record);

}  // namespace storyreel::farm
