#include "tests/support/check_projects.h"

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>

#include <fstream>
#include <random>

#include "checks/build_checks.h"
#include "editorial/cut_retime.h"
#include "pipeline/file_hash_memo.h"
#include "pipeline/shot_record.h"
#include "sources/project_sources.h"
#include "sources/script_reader.h"
#include "stages/audio_analysis.h"
#include "stages/board_thumbnail.h"
#include "stages/builtin_stages.h"

namespace storyreel::testing {

namespace fs = std::filesystem;

void write_drawn_board(const fs::path& file, int width, int height, unsigned seed, int strokes) {
    OIIO::ImageBuf image(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT8));
    const float white[3] = {1.f, 1.f, 1.f};
    OIIO::ImageBufAlgo::fill(image, white);
    std::mt19937 random(seed);
    for (int i = 0; i < strokes; ++i) {
        const int x = static_cast<int>(random() % static_cast<unsigned>(width));
        const int y = static_cast<int>(random() % static_cast<unsigned>(height));
        const int w =
            2 + static_cast<int>(random() % static_cast<unsigned>(std::max(2, width / 3)));
        const int h =
            2 + static_cast<int>(random() % static_cast<unsigned>(std::max(2, height / 3)));
        const float ink[3] = {0.1f, 0.1f, 0.15f};
        OIIO::ImageBufAlgo::fill(image, ink,
                                 OIIO::ROI(x, std::min(width, x + w), y, std::min(height, y + h)));
    }
    fs::create_directories(file.parent_path());
    if (!image.write(file.string()))
        throw std::runtime_error("cannot write " + file.string() + ": " + image.geterror());
}

void write_touched_copy(const fs::path& from, const fs::path& to) {
    OIIO::ImageBuf image(from.string());
    if (!image.read(0, 0, true, OIIO::TypeDesc::UINT8))
        throw std::runtime_error("cannot read " + from.string() + ": " + image.geterror());
    const float speck[3] = {0.5f, 0.5f, 0.5f};
    image.setpixel(image.spec().width / 2, image.spec().height / 2, speck);
    if (!image.write(to.string()))
        throw std::runtime_error("cannot write " + to.string() + ": " + image.geterror());
}

fs::path write_check_project(const fs::path& dir, const std::vector<TestPanel>& panels,
                             const std::string& extra_yaml, const std::string& sequence_yaml,
                             const std::string& show_yaml) {
    fs::create_directories(dir / "boards");
    std::string yaml = "storyreel: 1\nshow: " + show_yaml + "\n" + extra_yaml + "\nsequences:\n";
    std::string sequence, shot;
    for (std::size_t i = 0; i < panels.size(); ++i) {
        const TestPanel& panel = panels[i];
        if (panel.sequence != sequence) {
            sequence = panel.sequence;
            shot.clear();
            yaml += "  - name: " + sequence + "\n" + sequence_yaml + "    shots:\n";
        }
        if (panel.shot != shot) {
            shot = panel.shot;
            yaml += "      - name: " + shot + "\n        panels:\n";
        }
        const std::string board = panel.board.empty() ? panel.name + ".png" : panel.board;
        if (!fs::exists(dir / "boards" / board))
            write_drawn_board(dir / "boards" / board, panel.width, panel.height,
                              panel.seed ? panel.seed : static_cast<unsigned>(i + 1),
                              panel.strokes);
        yaml += "          - name: " + panel.name + "\n            board: boards/" + board +
                "\n            frames: " + std::to_string(panel.frames) + "\n";
        if (!panel.dialogue.empty()) yaml += "            dialogue: \"" + panel.dialogue + "\"\n";
        if (!panel.extra_yaml.empty()) yaml += "            " + panel.extra_yaml + "\n";
    }
    std::ofstream(dir / "project.yaml") << yaml;
    return dir / "project.yaml";
}

checks::CheckReport check_project(const fs::path& project, const fs::path& cache_dir,
                                  const fs::path& pipeline, const fs::path& script) {
    const StageRegistry registry = builtin_stage_registry();
    BuildRequest request;
    request.project = project;
    request.pipeline =
        pipeline.empty() ? fs::path(STORYREEL_SOURCE_DIR) / "configs" / "animatic.yaml" : pipeline;
    request.sources = &sources::project_sources();
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    request.apply_cuts = apply_project_cuts;
    request.cache_dir = cache_dir;
    request.output_dir = cache_dir;
    auto session = std::make_shared<checks::CheckSession>();
    session->services.scripts = &sources::script_reader();
    session->services.audio = request.audio_analyzer;
    session->services.script_override = script;
    session->services.make_board_reader = [](const Project& p, const PipelineSpec& s) {
        return std::make_unique<IngestBoardSignatureReader>(p, s);
    };
    checks::attach_checks(request, session);
    ValidatedBuild build = validate_build(request, registry);
    Diagnostics ignored;
    build.plan = plan_cut(build.project, build.pipeline.grouping, request.selection, ignored);
    std::vector<fs::path> boards;
    for (const auto& slot : build.plan.slots) boards.push_back(slot.panel->board);
    const InputHashes hashes(boards);
    BoardSignatureStore signatures;
    return checks::run_session(*session, build, hashes.all(), signatures, {});
}

std::vector<checks::Finding> findings_of(const checks::CheckReport& report,
                                         const std::string& rule) {
    std::vector<checks::Finding> found;
    for (const auto& finding : report.findings)
        if (finding.rule == rule) found.push_back(finding);
    return found;
}

}  // namespace storyreel::testing
