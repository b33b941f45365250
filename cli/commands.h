#pragma once
// The storyreel subcommands, each a function from parsed options to an exit code.

#include <string>
#include <vector>

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

/// configs/animatic.yaml: next to the working folder, the executable, or the source tree.
std::string default_pipeline_path();

int run_validate(const ValidateOptions& options);
int run_build_command(const BuildOptions& options, const CommonOptions& common);
int run_demo(const DemoOptionsCli& options);
int run_cache_stats(const CacheOptions& options);
int run_cache_gc(const CacheOptions& options);

}  // namespace storyreel
