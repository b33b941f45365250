#pragma once
// The real third-party inputs in ../shared/samples (next to the source tree), read in
// place. Tests skip, saying why, when the folder is absent.

#include <filesystem>

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel::testing {

/// ../shared/samples/<relative> seen from the source tree; empty when it does not exist.
inline std::filesystem::path shared_sample(const std::filesystem::path& relative) {
    const auto path =
        (std::filesystem::path(STORYREEL_SOURCE_DIR) / ".." / "shared" / "samples" / relative)
            .lexically_normal();
    std::error_code error;
    return std::filesystem::exists(path, error) ? path : std::filesystem::path();
}

}  // namespace storyreel::testing

/// Skips the current test when a sample is missing; otherwise defines `name` as its path.
#define STORYREEL_REQUIRE_SAMPLE(name, relative)                                      \
    const std::filesystem::path name = ::storyreel::testing::shared_sample(relative); \
    if (name.empty())                                                                 \
    GTEST_SKIP() << "../shared/samples/" << (relative)                                \
                 << " is absent next to the source tree: Storyboarder fixture tests skipped"
