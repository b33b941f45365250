#pragma once
// The storyreel subcommands, each a function from parsed options to an exit code.

#include <string>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel {

struct CommonOptions {
    bool quiet = false;
    bool verbose = false;
};

struct ValidateOptions {
    std::string project;
    std::string pipeline;
};

struct BuildOptions {
    std::string project;
    std::string pipeline;
    std::string output;
    int jobs = 0;
    std::vector<std::string> only;
    std::string cache;
    bool explain = false;
    std::string publish;         ///< publish root (also `settings.publish` in the pipeline)
    bool force_publish = false;  ///< publish even when the cut did not change
    std::string shard;           ///< "I/N": farm shard task, fills the cache only
    std::string task;            ///< farm task name for the logs ("shard-3", "assemble")
    std::string log_format;      ///< "json", "text" or empty (json for farm tasks off a terminal)
    std::string fail_on = "never";  ///< production checks: exit 3 at or above this severity
    std::string script;             ///< screenplay for the checks (--script)
};

struct FarmOptions {
    std::string engine = "local";
    std::string project, pipeline, output, cache, publish, spool, job_name;
    std::string script;      ///< screenplay for the assemble task's production checks
    std::string executable;  ///< the storyreel the farm nodes run; empty: this one
    int shards = 0;
    bool wait = false;
    std::string partition, account, qos, time_limit;
    int cpus_per_task = 1;
    std::string job;  ///< for status and cancel: a spool folder or a job name under ./farm-spool
};

struct CacheOptions {
    std::string dir;
    std::string max_size = "";  ///< e.g. 50G, 500M; empty: no size limit
    int max_age_days = 0;       ///< 0: no age limit
};

struct DemoOptionsCli {
    std::string dir;
    int sequences = 2;
    int shots_per_sequence = 2;
    int panels_per_shot = 4;
    int min_hold = 12;
    int max_hold = 48;
    std::string frame_rate = "24";
    std::string resolution = "1920x1080";
    unsigned seed = 1;
    bool uniform = false;  ///< every board an 8-bit PNG at the show resolution (benchmarks)
    std::string audio_format = "wav";
};

/// The pipeline used without --pipeline: $STORYREEL_PIPELINE when set, else
/// configs/animatic.yaml in the working folder, beside the executable, in the installed
/// share/storyreel/, or in the source tree.
std::string default_pipeline_path();

/// "storyreel: N problems found:" and every diagnostic, one per line, on stderr.
void print_problems(const Diagnostics& diagnostics);

int run_validate(const ValidateOptions& options);
int run_build_command(const BuildOptions& options, const CommonOptions& common);
int run_demo(const DemoOptionsCli& options);
/// `build` run as a farm task (--shard, --task or --log-format): JSON logs, exit 75 on
/// transient failures, a one-line summary on stdout.
int run_build_task_command(const BuildOptions& options, const CommonOptions& common);
int run_farm_submit(const FarmOptions& options);
int run_farm_status(const FarmOptions& options);
int run_farm_cancel(const FarmOptions& options);
/// `nightly --config FILE`: submit (and publish) only the sequences that changed.
int run_nightly(const std::string& config_file);
int run_cache_stats(const CacheOptions& options);
int run_cache_gc(const CacheOptions& options);

}  // namespace storyreel
