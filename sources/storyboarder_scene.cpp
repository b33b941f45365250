#include "sources/storyboarder_scene.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/checked_number.h"
#include "pipeline/input_limits.h"

namespace storyreel::sources {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

/// The largest number any scene field may hold: a duration of ~30 years in ms. Larger
/// values are not times a scene can mean, and would overflow once turned into frames.
constexpr double kLargestSceneNumber = 1e12;

/// A number given as a JSON number or as a string holding one ("2001"), finite and at
/// most kLargestSceneNumber either way.
std::optional<double> number_in(const json& value) {
    if (value.is_number()) {
        const double number = value.get<double>();
        if (!std::isfinite(number) || std::abs(number) > kLargestSceneNumber) return std::nullopt;
        return number;
    }
    if (!value.is_string()) return std::nullopt;
    return parse_real(value.get<std::string>(), -kLargestSceneNumber, kLargestSceneNumber);
}

std::string text_in(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// 1-based line and column of a byte offset, for JSON syntax errors.
SourceLocation location_of_byte(const std::string& file, const std::string& text,
                                std::size_t byte) {
    SourceLocation where{file, 1, 1};
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

class SceneReader {
  public:
    SceneReader(const fs::path& file, Diagnostics& diagnostics)
        : file_(file.string()), diagnostics_(diagnostics) {
        scene_.file = file;
        scene_.images = file.parent_path() / "images";
    }

    std::optional<StoryboarderScene> read() {
        auto root = parse();
        if (!root) return std::nullopt;
        if (!root->is_object() || !root->contains("boards") || !(*root)["boards"].is_array()) {
            problem("scene", "not a Storyboarder scene: no 'boards' list",
                    "point --project at a .storyboarder file saved by Storyboarder");
            return std::nullopt;
        }
        scene_.version = text_in(*root, "version");
        read_settings(*root);
        int number = 0;
        for (const auto& entry : (*root)["boards"]) read_board(entry, ++number);
        if (scene_.boards.empty())
            problem("scene", "the scene has no boards", "add boards in Storyboarder");
        return scene_;
    }

  private:
    std::optional<json> parse() {
        std::ifstream in(scene_.file, std::ios::binary);
        if (!in) {
            problem("scene", "cannot open the scene file", "check the path and permissions");
            return std::nullopt;
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        // The parser and every walk of the document recurse per level: bound the depth first.
        if (auto deep = json_too_deep_at(text, InputLimits{}.max_nesting_depth)) {
            diagnostics_.add(location_of_byte(file_, text, *deep + 1), "scene",
                             "JSON nested deeper than " +
                                 std::to_string(InputLimits{}.max_nesting_depth) +
                                 " levels (limit max_nesting_depth)",
                             "the file is damaged or not a Storyboarder scene; restore it from "
                             "Storyboarder's backup");
            return std::nullopt;
        }
        try {
            return json::parse(text);
        } catch (const json::parse_error& error) {
            diagnostics_.add(location_of_byte(file_, text, error.byte), "scene",
                             std::string("not valid JSON: ") + error.what(),
                             "the file is damaged; restore it from Storyboarder's backup");
            return std::nullopt;
        } catch (const json::exception& error) {  // a number too large for a double (406)
            diagnostics_.add({file_, 0, 0}, "scene",
                             std::string("not readable JSON: ") + error.what(),
                             "the file is damaged; restore it from Storyboarder's backup");
            return std::nullopt;
        }
    }

    void read_settings(const json& root) {
        if (auto it = root.find("fps"); it != root.end()) {
            scene_.fps = number_in(*it);
            if (!scene_.fps || *scene_.fps <= 0)
                problem("scene", "fps is not a positive number: " + it->dump());
        }
        if (auto it = root.find("aspectRatio"); it != root.end()) {
            scene_.aspect_ratio = number_in(*it);
            if (!scene_.aspect_ratio || *scene_.aspect_ratio < 0.1 || *scene_.aspect_ratio > 10)
                problem("scene", "aspectRatio is not a usable number: " + it->dump());
        }
        if (auto it = root.find("defaultBoardTiming"); it != root.end()) {
            auto ms = number_in(*it);
            if (!ms || *ms <= 0)
                problem("scene",
                        "defaultBoardTiming is not a positive number of ms: " + it->dump());
            else
                scene_.default_board_ms = std::llround(*ms);
        }
    }

    void read_board(const json& entry, int number) {
        StoryboarderBoard board;
        board.number = number;
        if (!entry.is_object()) {
            problem("board " + std::to_string(number), "not a JSON object");
            return;
        }
        board.uid = text_in(entry, "uid");
        board.url = text_in(entry, "url");
        const auto new_shot = entry.find("newShot");  // a flag; anything but true is false
        board.new_shot = new_shot != entry.end() && new_shot->is_boolean() && new_shot->get<bool>();
        board.dialogue = text_in(entry, "dialogue");
        board.action = text_in(entry, "action");
        board.notes = text_in(entry, "notes");
        board.link = text_in(entry, "link");
        read_duration(entry, board);
        read_layers(entry, board);
        if (auto audio = entry.find("audio"); audio != entry.end() && audio->is_object()) {
            const std::string filename = text_in(*audio, "filename");
            if (!filename.empty()) board.audio_file = filename;
        }
        scene_.boards.push_back(std::move(board));
    }

    void read_duration(const json& entry, StoryboarderBoard& board) {
        auto it = entry.find("duration");
        if (it == entry.end() || it->is_null()) return;
        auto ms = number_in(*it);
        if (!ms || *ms < 0) {
            problem(board.label(), "duration is not a number of milliseconds: " + it->dump(),
                    "set the board's duration in Storyboarder");
            return;
        }
        if (std::llround(*ms) > 0) board.duration_ms = std::llround(*ms);
    }

    void read_layers(const json& entry, StoryboarderBoard& board) {
        auto it = entry.find("layers");
        if (it == entry.end() || !it->is_object()) return;
        for (const auto& [name, layer] : it->items()) {
            if (!layer.is_object()) continue;
            StoryboarderLayer read{name, text_in(layer, "url"), std::nullopt};
            if (auto opacity = layer.find("opacity"); opacity != layer.end()) {
                read.opacity = number_in(*opacity);
                if (!read.opacity || *read.opacity < 0 || *read.opacity > 1)
                    problem(board.label(),
                            "layer '" + name + "' opacity is not in 0..1: " + opacity->dump());
            }
            if (!read.url.empty()) board.layers.push_back(std::move(read));
        }
    }

    void problem(const std::string& subject, const std::string& message,
                 const std::string& hint = {}) {
        diagnostics_.add({file_, 0, 0}, subject, message, hint);
    }

    std::string file_;
    Diagnostics& diagnostics_;
    StoryboarderScene scene_;
};

/// "1.6.0" -> {1, 6}; anything unreadable -> nullopt.
std::optional<std::pair<int, int>> major_minor(const std::string& version) {
    const auto first = version.find('.');
    if (first == std::string::npos) return std::nullopt;
    const auto second = version.find('.', first + 1);
    const auto major = parse_integer(version.substr(0, first), 0, 1'000'000);
    const auto minor =
        parse_integer(version.substr(first + 1, second == std::string::npos ? std::string::npos
                                                                            : second - first - 1),
                      0, 1'000'000);
    if (!major || !minor) return std::nullopt;
    return std::make_pair(static_cast<int>(*major), static_cast<int>(*minor));
}

}  // namespace

std::string StoryboarderBoard::label() const {
    return "board " + std::to_string(number) + (uid.empty() ? "" : " (" + uid + ")");
}

bool StoryboarderScene::keeps_drawing_in_board_image() const {
    auto version_number = major_minor(version);
    if (!version_number) return true;  // unknown: treat as old (the board image, if present)
    return *version_number < std::make_pair(1, 6);
}

std::optional<StoryboarderScene> read_storyboarder_scene(const fs::path& file,
                                                         Diagnostics& diagnostics) {
    return SceneReader(file, diagnostics).read();
}

}  // namespace storyreel::sources
