#pragma once
// `storyreel timing`: resolves and prints every panel's timing without rendering.

#include <string>
#include <vector>

namespace storyreel {

struct TimingOptions {
    std::string project;
    std::string pipeline;
    std::vector<std::string> only;
    std::string labels_dir;  ///< when set, dialogue onsets are written there as label files
};

int run_timing(const TimingOptions& options);

}  // namespace storyreel
