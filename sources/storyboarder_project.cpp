#include "sources/storyboarder_project.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

bool is_script(const fs::path& path) {
    const std::string extension = path.extension().string();
    return extension == ".fountain" || extension == ".fdx";
}

/// A scene folder under storyboards/ and its number in the "Scene-N-..." name.
struct SceneFolder {
    fs::path folder;
    int number = 0;
};

std::vector<SceneFolder> scene_folders(const fs::path& storyboards) {
    static const std::regex name(R"(^Scene-(\d+)-.*)");
    std::vector<SceneFolder> folders;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(storyboards, error)) {
        std::smatch match;
        const std::string base = item.path().filename().string();
        if (item.is_directory() && std::regex_match(base, match, name))
            folders.push_back({item.path(), std::stoi(match[1])});
    }
    std::sort(folders.begin(), folders.end(), [](const auto& a, const auto& b) {
        return a.number != b.number ? a.number < b.number : a.folder < b.folder;
    });
    return folders;
}

fs::path scene_file_in(const fs::path& folder) {
    return folder / (folder.filename().string() + ".storyboarder");
}

/// Scene ids from a Fountain script: Storyboarder marks each heading "... #1-ZX3ZM#".
std::vector<std::string> fountain_scene_ids(const fs::path& script) {
    static const std::regex heading(
        R"(^\s*(\.[^.]|INT|EXT|EST|I/E|INT\./EXT).*#([A-Za-z0-9._-]+)#\s*$)", std::regex::icase);
    std::vector<std::string> ids;
    std::ifstream in(script);
    std::string line;
    while (std::getline(in, line)) {
        std::smatch match;
        if (std::regex_match(line, match, heading)) ids.push_back(match[2]);
    }
    return ids;
}

struct XmlDocumentDeleter {
    void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};
struct XpathContextDeleter {
    void operator()(xmlXPathContext* context) const { xmlXPathFreeContext(context); }
};
struct XpathObjectDeleter {
    void operator()(xmlXPathObject* object) const { xmlXPathFreeObject(object); }
};

/// Number of scene headings in a Final Draft script; nullopt (reported) when unreadable.
std::optional<int> fdx_scene_count(const fs::path& script, Diagnostics& diagnostics) {
    std::unique_ptr<xmlDoc, XmlDocumentDeleter> document(
        xmlReadFile(script.string().c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                          XML_PARSE_NOWARNING));
    if (!document) {
        const xmlError* error = xmlGetLastError();
        std::error_code ignored;
        const bool empty = fs::file_size(script, ignored) == 0;
        diagnostics.add({script.string(), error ? error->line : 0, 0}, "Final Draft script",
                        empty ? "the file is empty"
                              : "not a readable Final Draft file: " +
                                    std::string(error && error->message ? error->message : "?"),
                        "save the script again from Final Draft or Storyboarder, or point "
                        "--project at the .fountain script or the project folder");
        return std::nullopt;
    }
    std::unique_ptr<xmlXPathContext, XpathContextDeleter> context(
        xmlXPathNewContext(document.get()));
    std::unique_ptr<xmlXPathObject, XpathObjectDeleter> headings(xmlXPathEvalExpression(
        reinterpret_cast<const xmlChar*>("//Paragraph[@Type='Scene Heading']"), context.get()));
    return headings && headings->nodesetval ? headings->nodesetval->nodeNr : 0;
}

fs::path find_script(const fs::path& folder) {
    std::vector<fs::path> scripts;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder, error))
        if (item.is_regular_file() && is_script(item.path())) scripts.push_back(item.path());
    std::sort(scripts.begin(), scripts.end(), [](const fs::path& a, const fs::path& b) {
        return (a.extension() == ".fountain") > (b.extension() == ".fountain");  // Fountain first
    });
    return scripts.empty() ? fs::path() : scripts.front();
}

std::optional<double> settings_aspect_ratio(const fs::path& settings, Diagnostics& diagnostics) {
    std::ifstream in(settings);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    auto root = nlohmann::json::parse(text.str(), nullptr, false);
    if (root.is_discarded() || !root.is_object()) {
        diagnostics.add({settings.string(), 0, 0}, "storyboard settings", "not valid JSON",
                        "re-save the project in Storyboarder");
        return std::nullopt;
    }
    auto it = root.find("aspectRatio");
    if (it == root.end()) return std::nullopt;
    if (it->is_number()) return it->get<double>();
    if (it->is_string()) return std::strtod(it->get<std::string>().c_str(), nullptr);
    return std::nullopt;
}

class ProjectScanner {
public:
    ProjectScanner(const fs::path& path, Diagnostics& diagnostics) : diagnostics_(diagnostics) {
        std::error_code error;
        const fs::path folder = fs::is_directory(path, error) ? path : path.parent_path();
        project_.script = is_script(path) ? path : find_script(folder);
        project_.settings = folder / "storyboards" / "storyboard.settings";
        folders_ = scene_folders(folder / "storyboards");
    }

    std::optional<StoryboarderProject> scan() {
        std::error_code error;
        if (!fs::is_regular_file(project_.settings, error)) {
            diagnostics_.add({project_.settings.string(), 0, 0}, "Storyboarder project",
                             "storyboards/storyboard.settings not found",
                             "open the script in Storyboarder once, or point --project at a "
                             "scene's .storyboarder file");
            return std::nullopt;
        }
        project_.aspect_ratio = settings_aspect_ratio(project_.settings, diagnostics_);
        const std::string extension = project_.script.extension().string();
        if (extension == ".fountain")
            order_by_fountain();
        else if (extension == ".fdx")
            order_by_fdx();
        else
            for (const auto& folder : folders_) add_scene(folder.folder);
        if (project_.scenes.empty() && !script_unreadable_)
            diagnostics_.add({project_.settings.string(), 0, 0}, "Storyboarder project",
                             "no boarded scenes found under storyboards/",
                             "board at least one scene in Storyboarder");
        return project_;
    }

private:
    void order_by_fountain() {
        for (const auto& id : fountain_scene_ids(project_.script)) {
            auto found = std::find_if(folders_.begin(), folders_.end(), [&](const SceneFolder& f) {
                const std::string name = f.folder.filename().string();
                return name.size() > id.size() && name.ends_with("-" + id);
            });
            if (found == folders_.end())
                spdlog::info("{}: scene #{}# has no storyboard yet; left out",
                             project_.script.filename().string(), id);
            else
                add_scene(found->folder);
        }
    }

    void order_by_fdx() {
        auto count = fdx_scene_count(project_.script, diagnostics_);
        script_unreadable_ = !count;
        if (!count) return;
        for (int number = 1; number <= *count; ++number) {
            auto found = std::find_if(folders_.begin(), folders_.end(),
                                      [&](const SceneFolder& f) { return f.number == number; });
            if (found != folders_.end()) add_scene(found->folder);
        }
    }

    void add_scene(const fs::path& folder) {
        const fs::path file = scene_file_in(folder);
        std::error_code error;
        if (!fs::is_regular_file(file, error)) {
            diagnostics_.add({file.string(), 0, 0}, "Storyboarder project",
                             "scene folder without its scene file",
                             "restore " + file.filename().string() + " in " + folder.string());
            return;
        }
        project_.scenes.push_back(file);
    }

    Diagnostics& diagnostics_;
    StoryboarderProject project_;
    std::vector<SceneFolder> folders_;
    bool script_unreadable_ = false;
};

}  // namespace

bool is_storyboarder_project(const fs::path& path) {
    std::error_code error;
    if (fs::is_regular_file(path, error)) return is_script(path);
    return fs::is_regular_file(path / "storyboards" / "storyboard.settings", error);
}

std::optional<StoryboarderProject> read_storyboarder_project(const fs::path& path,
                                                             Diagnostics& diagnostics) {
    return ProjectScanner(path, diagnostics).scan();
}

}  // namespace storyreel::sources
