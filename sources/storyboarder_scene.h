#pragma once
// A Storyboarder scene file (.storyboarder, JSON) read into plain data, tolerant of the
// format's history: durations as numbers or strings, stale derived fields ignored.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel::sources {

struct StoryboarderLayer {
    std::string name;  ///< "reference", "fill", "tone", "pencil", "ink", "notes", "shot-generator"
    std::string url;   ///< file name in images/
    std::optional<double> opacity;
};

struct StoryboarderBoard {
    int number = 0;  ///< 1-based position in the scene (recomputed, never the stale field)
    std::string uid;
    std::string url;  ///< the board's own image (the drawing, before Storyboarder 1.6)
    bool new_shot = false;
    std::optional<std::int64_t> duration_ms;  ///< absent or 0: the scene's default timing
    std::vector<StoryboarderLayer> layers;
    std::optional<std::string> audio_file;  ///< in images/
    std::string dialogue, action, notes;
    std::string link;  ///< a linked Photoshop file in images/, when any

    /// "board 3 (DRAPP)"
    std::string label() const;
};

struct StoryboarderScene {
    std::filesystem::path file;    ///< absolute
    std::filesystem::path images;  ///< the scene's images/ folder
    std::string version;           ///< e.g. "0.7.0", "2.0.1"; empty when absent
    std::optional<double> fps;
    std::optional<double> aspect_ratio;
    std::int64_t default_board_ms = 2000;
    std::vector<StoryboarderBoard> boards;

    /// Before 1.6 a board's drawing lives in its own `url` image, not in layers.
    bool keeps_drawing_in_board_image() const;
    /// "example" (the file name without .storyboarder)
    std::string name() const { return file.stem().string(); }
};

/// Reads and checks one scene; problems (JSON syntax with line:column, wrong types,
/// unusable durations) go to `diagnostics`. nullopt when the file cannot be used at all.
std::optional<StoryboarderScene> read_storyboarder_scene(const std::filesystem::path& file,
                                                         Diagnostics& diagnostics);

}  // namespace storyreel::sources
