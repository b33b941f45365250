#include "sources/storyboarder_source.h"

#include <spdlog/spdlog.h>
#include <tbb/parallel_for.h>

#include <mutex>

#include "pipeline/cut_clock.h"
#include "sources/board_compositor.h"
#include "sources/source_show.h"
#include "sources/storyboarder_board_image.h"
#include "sources/storyboarder_project.h"
#include "sources/storyboarder_scene.h"

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> scene_files_in(const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder, error))
        if (item.is_regular_file() && item.path().extension() == ".storyboarder")
            files.push_back(item.path());
    return files;
}

/// Storyboarder's board label within a shot: A, B, ... Z, A2, B2 ...
std::string board_letter(int index_in_shot) {
    std::string label(1, static_cast<char>('A' + index_in_shot % 26));
    if (index_in_shot >= 26) label += std::to_string(index_in_shot / 26 + 1);
    return label;
}

/// A board waiting for its picture once every scene has been read and checked.
struct BoardJob {
    Panel* panel = nullptr;
    BoardImage image;
    std::string subject;
};

class StoryboarderReader {
  public:
    StoryboarderReader(const SourceRequest& request, Project& project, Diagnostics& diagnostics)
        : request_(request), project_(project), diagnostics_(diagnostics) {}

    void read() {
        const std::size_t problems_before = diagnostics_.size();
        std::optional<double> project_aspect;
        std::vector<fs::path> files = scene_files(project_aspect);
        std::vector<StoryboarderScene> scenes;
        for (const auto& file : files)
            if (auto scene = read_storyboarder_scene(file, diagnostics_)) scenes.push_back(*scene);
        if (scenes.empty()) return;
        apply_show(scenes.front(), project_aspect);
        clock_.rate = project_.show.frame_rate;
        project_.sequences.reserve(scenes.size());  // jobs point at panels: no reallocation
        for (const auto& scene : scenes) add_scene(scene, scene_ref(files, scene.file));
        if (diagnostics_.size() == problems_before) make_board_pictures();
    }

  private:
    std::vector<fs::path> scene_files(std::optional<double>& project_aspect) {
        const fs::path& path = request_.path;
        std::error_code error;
        if (is_storyboarder_project(path) && !is_storyboarder_scene(path)) {
            auto scanned = read_storyboarder_project(path, diagnostics_);
            if (!scanned) return {};
            project_aspect = scanned->aspect_ratio;
            project_.script = scanned->script;
            scene_refs_ = scanned->scene_refs;
            if (!request_.from_yaml())  // --project named it: a file to hash
                project_.file = scanned->script.empty() ? scanned->settings : scanned->script;
            name_ = path.stem().string();
            return scanned->scenes;
        }
        fs::path file = path;
        if (fs::is_directory(path, error)) {
            auto found = scene_files_in(path);
            if (found.size() != 1) {
                diagnostics_.add({path.string(), 0, 0}, "Storyboarder scene",
                                 found.empty() ? "no .storyboarder file in the folder"
                                               : "more than one .storyboarder file in the folder",
                                 "point at the scene's .storyboarder file");
                return {};
            }
            file = found.front();
            if (!request_.from_yaml()) project_.file = file;
        } else if (!fs::is_regular_file(path, error)) {
            diagnostics_.add({request_.file, 0, 0}, "source", "not found: " + path.string(),
                             "fix the path");
            return {};
        }
        name_ = file.stem().string();
        return {file};
    }

    void apply_show(const StoryboarderScene& first, std::optional<double> project_aspect) {
        if (!request_.show_keys.count("name")) project_.show.name = name_;
        if (first.fps)
            apply_source_frame_rate(*first.fps, request_.show_keys, project_.show,
                                    {first.file.string(), 0, 0}, diagnostics_);
        if (auto aspect = first.aspect_ratio ? first.aspect_ratio : project_aspect)
            apply_source_aspect_ratio(*aspect, request_.show_keys, project_.show);
        if (!request_.show_keys.count("background"))
            project_.show.background = {1.f, 1.f, 1.f};  // Storyboarder draws on white
    }

    /// The script scene a scene file boards (StoryboarderProject::scene_refs), if any.
    std::string scene_ref(const std::vector<fs::path>& files, const fs::path& file) const {
        for (std::size_t i = 0; i < files.size() && i < scene_refs_.size(); ++i)
            if (files[i] == file) return scene_refs_[i];
        return {};
    }

    void add_scene(const StoryboarderScene& scene, const std::string& script_ref) {
        if (scene.fps && first_fps_ && std::abs(*scene.fps - *first_fps_) > 1e-6)
            spdlog::warn("{}: scene is at {} fps, the project at {}; timing kept in milliseconds",
                         scene.file.string(), *scene.fps, project_.show.frame_rate.to_string());
        if (!first_fps_) first_fps_ = scene.fps;
        Sequence& sequence = project_.sequences.emplace_back();
        sequence.name = safe_name(scene.name());
        sequence.where = {scene.file.string(), 0, 0};
        sequence.script_scene = script_ref;
        sequence.shots.reserve(scene.boards.size());
        int index_in_shot = 0;
        for (const auto& board : scene.boards) {
            if (board.new_shot || sequence.shots.empty()) {
                Shot& shot = sequence.shots.emplace_back();
                shot.name = std::to_string(sequence.shots.size());
                shot.where = sequence.where;
                shot.panels.reserve(scene.boards.size());
                index_in_shot = 0;
            }
            add_board(scene, board, sequence, index_in_shot++);
        }
    }

    void add_board(const StoryboarderScene& scene, const StoryboarderBoard& board,
                   Sequence& sequence, int index_in_shot) {
        Shot& shot = sequence.shots.back();
        Panel& panel = shot.panels.emplace_back();
        panel.name = shot.name + board_letter(index_in_shot);
        panel.where = {scene.file.string(), 0, 0};
        panel.dialogue = board.dialogue;
        panel.action = board.action;
        panel.notes = board.notes;
        const std::string subject =
            "panel " + panel_path(sequence, shot, panel) + " (" + board.label() + ")";
        const std::int64_t start = clock_.frame();
        clock_.advance_milliseconds(board.duration_ms.value_or(scene.default_board_ms));
        panel.frames = clock_.frame() - start;
        panel.hold_given = true;
        if (panel.frames <= 0)
            diagnostics_.add(
                panel.where, subject,
                "lasts less than half a frame at " + project_.show.frame_rate.to_string() + " fps",
                "make the board longer in Storyboarder");
        if (board.audio_file) add_audio(scene, *board.audio_file, subject, panel);
        jobs_.push_back({&panel, board_image(scene, board, subject, diagnostics_), subject});
    }

    void add_audio(const StoryboarderScene& scene, const std::string& name,
                   const std::string& subject, Panel& panel) {
        PanelAudioClip clip;
        clip.file = scene.images / name;
        clip.where = panel.where;
        std::error_code error;
        if (!fs::is_regular_file(clip.file, error))
            diagnostics_.add(panel.where, subject, "audio file not found: " + clip.file.string(),
                             "copy the board's audio into the scene's images/ folder, or remove "
                             "it from the board in Storyboarder");
        panel.audio.push_back(std::move(clip));
    }

    /// Flattens every board (in parallel) into the cache; when only validating, checks
    /// that each image opens and points the panel at its top layer.
    void make_board_pictures() {
        std::mutex lock;
        std::unique_ptr<BoardCompositor> compositor;
        if (!request_.cache_dir.empty())
            compositor = std::make_unique<BoardCompositor>(request_.cache_dir);
        const int width = project_.show.width, height = project_.show.height;
        tbb::parallel_for(std::size_t{0}, jobs_.size(), [&](std::size_t i) {
            BoardJob& job = jobs_[i];
            std::string problem;
            try {
                job.panel->board = picture_of(job.image, compositor.get(), width, height);
            } catch (const std::exception& error) {
                problem = error.what();
            }
            if (problem.empty()) return;
            std::lock_guard guard(lock);
            diagnostics_.add(job.panel->where, job.subject, problem,
                             "re-save the board in Storyboarder or restore the file");
        });
    }

    static fs::path picture_of(const BoardImage& image, BoardCompositor* compositor, int width,
                               int height) {
        std::vector<fs::path> files;
        if (image.flattened) files.push_back(*image.flattened);
        for (const auto& layer : image.layers) files.push_back(layer.file);
        for (const auto& file : files)
            if (auto error = unreadable_image(file); !error.empty())
                throw std::runtime_error("cannot read image " + file.string() + ": " + error);
        if (image.flattened) return *image.flattened;
        if (compositor) return compositor->composite(image.layers, width, height);
        return files.empty() ? fs::path() : files.back();  // validating only: nothing written
    }

    const SourceRequest& request_;
    Project& project_;
    Diagnostics& diagnostics_;
    CutClock clock_{};
    std::string name_;
    std::vector<std::string> scene_refs_;  ///< per scene file of a project, its script scene
    std::optional<double> first_fps_;
    std::vector<BoardJob> jobs_;
};

}  // namespace

bool is_storyboarder_scene(const fs::path& path) {
    std::error_code error;
    if (fs::is_directory(path, error)) return scene_files_in(path).size() == 1;
    return path.extension() == ".storyboarder";
}

void read_storyboarder(const SourceRequest& request, Project& project, Diagnostics& diagnostics) {
    StoryboarderReader(request, project, diagnostics).read();
}

}  // namespace storyreel::sources
