#pragma once
// Shared by the movie patch tests: a small one-sequence project built again and again into
// one output folder with one cache (in this process, or by the storyreel command), boards
// redrawn between builds, and what a build logged about how it wrote its movie.

#include <sys/types.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "demo/demo_project.h"
#include "pipeline/build.h"
#include "tests/support/temp_dir.h"

namespace storyreel::testing {

/// A pipeline encoding the cut (with a temp audio track) with `codec_params`.
std::string patch_pipeline(const std::string& codec_params);
inline const std::string kDnxhr = patch_pipeline("codec: dnxhr, profile: lb");
inline const std::string kProres = patch_pipeline("codec: prores, profile: proxy");

/// 4 shots of 3 panels, 20-40 frames each, 1280x720, with sound.
demo::DemoOptions small_cut();

/// One project built again and again into one output folder with one cache.
struct PatchWorkspace {
    TempDir dir;
    demo::DemoProject project;
    std::filesystem::path pipeline_file;

    explicit PatchWorkspace(const std::string& pipeline);

    /// Builds into `out` with `cache` (the workspace's own unless told otherwise).
    BuildResult build(const std::string& out = "out", const std::string& cache = "cache") const;
    /// The arguments of `storyreel build` for the same build.
    std::vector<std::string> build_args(const std::string& out = "out",
                                        const std::string& cache = "cache") const;
    /// What a build from nothing writes now (its own output folder and cache).
    std::string fresh_movie_bytes(const std::string& name) const;

    std::filesystem::path board(std::size_t panel) const;
    /// Overwrites a board with a flat fill of `rgb` (0..1), at the show size.
    void redraw(std::size_t panel, std::array<float, 3> rgb) const;
};

/// A build, and what it said at info level about how it wrote its movie.
struct LoggedBuild {
    BuildResult result;
    std::string log;
};

LoggedBuild build_logged(const PatchWorkspace& ws, const std::string& out = "out");

ino_t inode_of(const std::filesystem::path& file);

}  // namespace storyreel::testing
