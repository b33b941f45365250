#include "tests/support/patch_workspace.h"

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <fstream>

#include "stages/builtin_stages.h"
#include "tests/support/file_bytes.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

std::string patch_pipeline(const std::string& codec_params) {
    return R"(pipeline: 1
name: test-patch
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: temp_audio, type: audio}
  - {name: enc, type: encode, needs: [conform, temp_audio], params: {)" +
           codec_params + "}}\n";
}

demo::DemoOptions small_cut() {
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 4;
    options.panels_per_shot = 3;
    options.min_hold_frames = 20;
    options.max_hold_frames = 40;
    options.width = 1280;
    options.height = 720;
    options.varied_formats = false;
    options.seed = 11;
    return options;
}

PatchWorkspace::PatchWorkspace(const std::string& pipeline) {
    project = demo::write_demo_project(dir.path() / "project", small_cut());
    pipeline_file = dir.path() / "pipeline.yaml";
    std::ofstream(pipeline_file) << pipeline;
}

BuildResult PatchWorkspace::build(const std::string& out, const std::string& cache) const {
    BuildRequest request;
    request.project = project.project_file;
    request.pipeline = pipeline_file;
    request.output_dir = dir.path() / out;
    request.cache_dir = dir.path() / cache;
    return run_build(request, builtin_stage_registry());
}

std::vector<std::string> PatchWorkspace::build_args(const std::string& out,
                                                    const std::string& cache) const {
    return {"build",
            "--project",
            project.project_file.string(),
            "--pipeline",
            pipeline_file.string(),
            "--out",
            (dir.path() / out).string(),
            "--cache",
            (dir.path() / cache).string()};
}

std::string PatchWorkspace::fresh_movie_bytes(const std::string& name) const {
    const BuildResult fresh = build(name, name + "-cache");
    return read_file(fresh.outputs.at(0).path);
}

fs::path PatchWorkspace::board(std::size_t panel) const {
    return project.project_file.parent_path() / project.panels.at(panel).board_file;
}

void PatchWorkspace::redraw(std::size_t panel, std::array<float, 3> rgb) const {
    OIIO::ImageBuf image(
        OIIO::ImageSpec(small_cut().width, small_cut().height, 3, OIIO::TypeDesc::UINT8));
    const float values[3] = {rgb[0], rgb[1], rgb[2]};
    ASSERT_TRUE(OIIO::ImageBufAlgo::fill(image, values));
    ASSERT_TRUE(image.write(board(panel).string())) << image.geterror();
}

LoggedBuild build_logged(const PatchWorkspace& ws, const std::string& out) {
    auto logger = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(512);
    std::vector<spdlog::level::level_enum> sink_levels;
    for (auto& existing : logger->sinks()) {
        sink_levels.push_back(existing->level());
        existing->set_level(spdlog::level::warn);  // the console stays quiet
    }
    logger->sinks().push_back(sink);
    const auto level = logger->level();
    logger->set_level(spdlog::level::info);
    const auto restore = [&] {
        logger->sinks().pop_back();
        logger->set_level(level);
        for (std::size_t i = 0; i < sink_levels.size(); ++i)
            logger->sinks()[i]->set_level(sink_levels[i]);
    };
    LoggedBuild logged;
    try {
        logged.result = ws.build(out);
    } catch (...) {
        restore();
        throw;
    }
    restore();
    for (const auto& line : sink->last_formatted()) logged.log += line;
    return logged;
}

ino_t inode_of(const fs::path& file) {
    struct stat status {};
    EXPECT_EQ(::stat(file.c_str(), &status), 0) << file;
    return status.st_ino;
}

}  // namespace storyreel::testing
