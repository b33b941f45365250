#pragma once
// For the look tests (burn-ins, camera moves, transitions): build a project with a given
// pipeline text through the real engine and read every decoded frame back.

#include <filesystem>
#include <string>
#include <vector>

#include "demo/demo_project.h"
#include "pipeline/build.h"
#include "tests/support/movie_probe.h"

namespace storyreel::testing {

/// A small demo for look tests: one sequence of 2 shots x 3 panels held 5 to 8 frames,
/// 320x180, 8-bit PNG boards, no audio.
demo::DemoOptions tiny_look_demo();

/// Writes `pipeline_text` next to `out_dir`, builds `project` with it into `out_dir`
/// (a private cache inside it) and returns the result. Throws what run_build throws.
BuildResult build_with_pipeline(const std::filesystem::path& project,
                                const std::string& pipeline_text,
                                const std::filesystem::path& out_dir);

/// Every decoded frame of a movie, in order.
std::vector<RgbPicture> decode_all_frames(const std::filesystem::path& movie);

/// A rectangle of a picture, in pixels.
struct Region {
    int x = 0, y = 0, width = 0, height = 0;
};

/// Mean absolute difference per channel value (0..255) between two pictures inside `region`.
double mean_difference(const RgbPicture& a, const RgbPicture& b, const Region& region);

/// Mean luma-ish brightness (average of R, G, B) inside `region`.
double mean_level(const RgbPicture& picture, const Region& region);

}  // namespace storyreel::testing
