#include "tests/support/look_build.h"

#include <cmath>
#include <fstream>

#include "stages/builtin_stages.h"

namespace storyreel::testing {

demo::DemoOptions tiny_look_demo() {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 3;
    options.min_hold_frames = 5;
    options.max_hold_frames = 8;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    options.with_audio = false;
    return options;
}

BuildResult build_with_pipeline(const std::filesystem::path& project,
                                const std::string& pipeline_text,
                                const std::filesystem::path& out_dir) {
    const std::filesystem::path pipeline = out_dir.string() + ".pipeline.yaml";
    std::ofstream(pipeline) << pipeline_text;
    BuildRequest request;
    request.project = project;
    request.pipeline = pipeline;
    request.output_dir = out_dir;
    return run_build(request, builtin_stage_registry());
}

std::vector<RgbPicture> decode_all_frames(const std::filesystem::path& movie) {
    std::vector<RgbPicture> frames;
    decode_video(
        movie, [](std::int64_t) { return true; },
        [&](std::int64_t, const RgbPicture& picture) { frames.push_back(picture); });
    return frames;
}

double mean_difference(const RgbPicture& a, const RgbPicture& b, const Region& region) {
    double total = 0;
    for (int y = region.y; y < region.y + region.height; ++y)
        for (int x = region.x; x < region.x + region.width; ++x) {
            const auto pa = a.at(x, y);
            const auto pb = b.at(x, y);
            for (int c = 0; c < 3; ++c) total += std::abs(pa[c] - pb[c]);
        }
    return total / (3.0 * region.width * region.height);
}

double mean_level(const RgbPicture& picture, const Region& region) {
    double total = 0;
    for (int y = region.y; y < region.y + region.height; ++y)
        for (int x = region.x; x < region.x + region.width; ++x) {
            const auto p = picture.at(x, y);
            total += p[0] + p[1] + p[2];
        }
    return total / (3.0 * region.width * region.height);
}

}  // namespace storyreel::testing
