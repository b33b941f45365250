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
};

struct DemoOptionsCli {
    std::string dir;
};

/// configs/animatic.yaml: next to the working folder, the executable, or the source tree.
std::string default_pipeline_path();

int run_validate(const ValidateOptions& options);
int run_build_command(const BuildOptions& options, const CommonOptions& common);
int run_demo(const DemoOptionsCli& options);

}  // namespace storyreel
