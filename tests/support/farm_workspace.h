#pragma once
// A tiny demo project (320x180) and a ProRes + H.264 + audio pipeline for the farm tests,
// with helpers to run `storyreel farm ...` and read what the tasks logged.

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo/demo_project.h"
#include "tests/support/cli_runner.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel::testing {

/// 2 sequences x 2 shots x 3 panels at 320x180, uniform PNG boards, WAV temp track.
demo::DemoOptions tiny_farm_demo();

struct FarmWorkspace {
    TempDir dir;
    demo::DemoProject project;
    std::filesystem::path pipeline_file;

    /// `pipeline_yaml` replaces the ProRes + H.264 + audio pipeline when not empty.
    explicit FarmWorkspace(const demo::DemoOptions& options = tiny_farm_demo(),
                           const std::string& pipeline_yaml = {});

    std::filesystem::path out(const std::string& name) const { return dir.path() / name; }
    std::filesystem::path board(std::size_t panel) const;
    std::string panel_name(std::size_t panel) const;  ///< "sq010/sh010/p001"

    /// `storyreel build` of the whole project into `out`.
    CliResult build(const std::string& out, const std::vector<std::string>& extra = {}) const;
    /// `storyreel farm submit` with --project, --pipeline, --out and --spool filled in.
    CliResult submit(const std::string& engine, const std::string& out, const std::string& spool,
                     const std::vector<std::string>& extra = {}) const;
};

/// Movies (*.mov, *.mp4) in `dir` by file name.
std::map<std::string, std::filesystem::path> movies_in(const std::filesystem::path& dir);

/// Every JSON line of every log in SPOOL/logs/, in file order.
std::vector<nlohmann::json> task_events(const std::filesystem::path& spool);

std::string read_whole_file(const std::filesystem::path& path);

}  // namespace storyreel::testing
