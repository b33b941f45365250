#include "tests/support/farm_workspace.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "pipeline/content_hash.h"
#include "tests/support/movie_probe.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFarmPipeline = R"(pipeline: 1
name: farm-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: temp_audio, type: audio}
  - {name: prores, type: encode, needs: [conform, temp_audio], params: {codec: prores, profile: proxy}}
  - {name: review, type: encode, needs: [conform, temp_audio], params: {codec: h264, crf: 20, preset: veryfast}}
)";

}  // namespace

demo::DemoOptions tiny_farm_demo() {
    demo::DemoOptions options;
    options.sequences = 2;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 3;
    options.min_hold_frames = 4;
    options.max_hold_frames = 8;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    options.seed = 11;
    return options;
}

FarmWorkspace::FarmWorkspace(const demo::DemoOptions& options, const std::string& pipeline_yaml) {
    project = demo::write_demo_project(dir.path() / "project", options);
    pipeline_file = dir.path() / "pipeline.yaml";
    std::ofstream(pipeline_file) << (pipeline_yaml.empty() ? kFarmPipeline : pipeline_yaml);
}

fs::path FarmWorkspace::board(std::size_t panel) const {
    return project.project_file.parent_path() / project.panels.at(panel).board_file;
}

std::string FarmWorkspace::panel_name(std::size_t panel) const {
    const auto& p = project.panels.at(panel);
    return p.sequence + "/" + p.shot + "/" + p.panel;
}

CliResult FarmWorkspace::build(const std::string& out_name,
                               const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"build",
                                  "--project",
                                  project.project_file.string(),
                                  "--pipeline",
                                  pipeline_file.string(),
                                  "--out",
                                  out(out_name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_storyreel(args);
}

CliResult FarmWorkspace::submit(const std::string& engine, const std::string& out_name,
                                const std::string& spool,
                                const std::vector<std::string>& extra) const {
    std::vector<std::string> args{"farm",       "submit",
                                  "--engine",   engine,
                                  "--project",  project.project_file.string(),
                                  "--pipeline", pipeline_file.string(),
                                  "--out",      out(out_name).string(),
                                  "--spool",    out(spool).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_storyreel(args);
}

std::map<std::string, fs::path> movies_in(const fs::path& dir) {
    std::map<std::string, fs::path> movies;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const auto extension = entry.path().extension();
        const auto name = entry.path().filename().string();
        if ((extension == ".mov" || extension == ".mp4") && name.front() != '.')
            movies[name] = entry.path();
    }
    return movies;
}

std::vector<nlohmann::json> task_events(const fs::path& spool) {
    std::vector<fs::path> logs;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(spool / "logs", error))
        logs.push_back(entry.path());
    std::sort(logs.begin(), logs.end());
    std::vector<nlohmann::json> events;
    for (const auto& log : logs) {
        std::ifstream in(log);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line.front() != '{') continue;
            auto event = nlohmann::json::parse(line, nullptr, false);
            if (!event.is_discarded()) events.push_back(std::move(event));
        }
    }
    return events;
}

std::string read_whole_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace storyreel::testing
