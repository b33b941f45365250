#pragma once
// Shared by the publish tests: a tiny demo project with a pipeline, built and published by
// the real storyreel command, and ways to change it the way artists do (redraw a board,
// re-time a panel).

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "demo/demo_project.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel::publish_test {

namespace fs = std::filesystem;
using nlohmann::json;

inline constexpr const char* kProresPipeline = R"(pipeline: 1
name: publish-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
)";

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline json read_json(const fs::path& path) { return json::parse(read_text(path)); }

/// `sha256sum FILE` (coreutils), as "sha256:<hex>": a checksum storyreel did not compute.
inline std::string coreutils_sha256(const fs::path& file) {
    std::string output;
    FILE* pipe = popen(("sha256sum '" + file.string() + "'").c_str(), "r");
    if (!pipe) return "popen failed";
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
    return "sha256:" + output.substr(0, 64);
}

inline demo::DemoOptions tiny_two_sequences() {
    demo::DemoOptions options;
    options.sequences = 2;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 2;
    options.min_hold_frames = 4;
    options.max_hold_frames = 8;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    options.with_audio = false;
    options.seed = 11;
    return options;
}

/// A demo project and pipeline in a temporary folder, published to `root()`.
struct PublishWorkspace {
    testing::TempDir dir;
    demo::DemoProject project;
    fs::path pipeline_file;

    explicit PublishWorkspace(const std::string& pipeline = kProresPipeline,
                              const demo::DemoOptions& options = tiny_two_sequences()) {
        project = demo::write_demo_project(dir.path() / "project", options);
        pipeline_file = dir.path() / "pipeline.yaml";
        std::ofstream(pipeline_file) << pipeline;
    }
    fs::path root() const { return dir.path() / "published"; }
    fs::path sequence_folder(const std::string& sequence) const {
        return root() / "Demo_Show" / sequence;
    }
    std::vector<std::string> build_args(const std::string& out, bool force = false) const {
        std::vector<std::string> args{"build",
                                      "--project",
                                      project.project_file.string(),
                                      "--pipeline",
                                      pipeline_file.string(),
                                      "--out",
                                      (dir.path() / out).string(),
                                      "--cache",
                                      (dir.path() / "cache").string(),
                                      "--publish",
                                      root().string()};
        if (force) args.push_back("--force");
        return args;
    }
    testing::CliResult publish(const std::string& out = "out", bool force = false) const {
        return testing::run_storyreel(build_args(out, force));
    }
    fs::path board(std::size_t index) const {
        return project.project_file.parent_path() / project.panels.at(index).board_file;
    }
    std::string panel_name(std::size_t index) const {
        const auto& panel = project.panels.at(index);
        return panel.sequence + "/" + panel.shot + "/" + panel.panel;
    }

    /// Overwrites a board with a flat colour (same size, new content).
    void redraw(std::size_t index, std::array<float, 3> rgb) const {
        OIIO::ImageBuf image(OIIO::ImageSpec(320, 180, 3, OIIO::TypeDesc::UINT8));
        const float values[3] = {rgb[0], rgb[1], rgb[2]};
        ASSERT_TRUE(OIIO::ImageBufAlgo::fill(image, values));
        ASSERT_TRUE(image.write(board(index).string())) << image.geterror();
    }
    /// Sets a panel's hold in project.yaml.
    void retime(std::size_t index, long long frames) const {
        std::string text = read_text(project.project_file);
        const auto board_at = text.find("board: " + project.panels.at(index).board_file);
        ASSERT_NE(board_at, std::string::npos);
        const auto frames_at = text.find("frames: ", board_at);
        ASSERT_NE(frames_at, std::string::npos);
        const auto line_end = text.find('\n', frames_at);
        text.replace(frames_at, line_end - frames_at, "frames: " + std::to_string(frames));
        std::ofstream(project.project_file, std::ios::binary | std::ios::trunc) << text;
    }
};

/// Names of the version folders (v001, ...) and anything else not hidden, sorted.
/// Flips one bit of the byte at `offset` (making the file writable first), the way a bad
/// transfer or disk damages a file.
inline void flip_byte(const fs::path& file, std::streamoff offset) {
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(offset);
    char byte = 0;
    stream.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x01);
    stream.seekp(offset);
    stream.write(&byte, 1);
}

inline std::vector<std::string> visible_entries(const fs::path& folder) {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        const std::string name = entry.path().filename().string();
        if (name[0] != '.') names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

/// Every file a version's manifest lists exists and matches its SHA-256 (by sha256sum).
inline void expect_version_complete(const fs::path& version_folder) {
    ASSERT_TRUE(fs::is_regular_file(version_folder / "manifest.json")) << version_folder;
    const json manifest = read_json(version_folder / "manifest.json");
    ASSERT_FALSE(manifest.at("outputs").empty());
    for (const auto& output : manifest.at("outputs")) {
        const fs::path file = version_folder / output.at("file").get<std::string>();
        EXPECT_EQ(coreutils_sha256(file), output.at("sha256").get<std::string>()) << file;
        EXPECT_EQ(fs::file_size(file), output.at("size_bytes").get<std::uintmax_t>()) << file;
    }
    EXPECT_TRUE(fs::is_regular_file(version_folder / "changes.json"));
    EXPECT_TRUE(fs::is_regular_file(version_folder / "CHANGES.txt"));
}

}  // namespace storyreel::publish_test
