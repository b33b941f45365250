#include "sources/storyboarder_project.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "pipeline/checked_number.h"
#include "pipeline/input_limits.h"

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

/// The largest scene number a folder name may carry.
constexpr std::int64_t kLargestSceneNumber = 1'000'000;

std::vector<SceneFolder> scene_folders(const fs::path& storyboards, Diagnostics& diagnostics) {
    static const std::regex name(R"(^Scene-(\d+)-.*)");
    std::vector<SceneFolder> folders;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(storyboards, error)) {
        std::smatch match;
        const std::string base = item.path().filename().string();
        if (!item.is_directory() || !std::regex_match(base, match, name)) continue;
        try {
            const auto number = checked_integer(match[1].str(), 0, kLargestSceneNumber,
                                                {{item.path().string(), 0, 0},
                                                 "Storyboarder project",
                                                 "scene number in the folder name"});
            folders.push_back({item.path(), static_cast<int>(number)});
        } catch (const NumberError& refused) {
            Diagnostic problem = refused.diagnostic();
            problem.hint = "rename the folder Scene-N-... with N from 0 to " +
                           std::to_string(kLargestSceneNumber) + ", as Storyboarder does";
            diagnostics.add(problem);
        }
    }
    std::sort(folders.begin(), folders.end(), [](const auto& a, const auto& b) {
        return a.number != b.number ? a.number < b.number : a.folder < b.folder;
    });
    return folders;
}

fs::path scene_file_in(const fs::path& folder) {
    return folder / (folder.filename().string() + ".storyboarder");
}

/// The scene id of a Fountain scene heading ("INT. HOUSE - DAY #1-ZX3ZM#": "1-ZX3ZM"), or
/// empty when the line is no heading or has no id. A heading starts (after blanks) with
/// INT, EXT, EST or I/E, any case, or with a '.' not followed by another '.'. Scanned by
/// hand: std::regex recurses per character and overflows the stack on a long line.
std::string fountain_heading_id(std::string_view line) {
    const auto is_blank = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!line.empty() && is_blank(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_blank(line.back())) line.remove_suffix(1);
    const auto starts_with = [&](std::string_view prefix) {
        if (line.size() < prefix.size()) return false;
        for (std::size_t i = 0; i < prefix.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(line[i])) != prefix[i]) return false;
        return true;
    };
    std::size_t prefix = 0;
    if (line.size() >= 2 && line[0] == '.' && line[1] != '.')
        prefix = 2;
    else if (starts_with("INT") || starts_with("EXT") || starts_with("EST") || starts_with("I/E"))
        prefix = 3;
    if (prefix == 0 || line.size() < prefix + 3 || line.back() != '#') return {};
    const std::size_t open = line.rfind('#', line.size() - 2);
    if (open == std::string_view::npos || open < prefix || open + 2 >= line.size()) return {};
    const std::string_view id = line.substr(open + 1, line.size() - open - 2);
    for (char c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
            return {};
    return std::string(id);
}

/// Scene ids from a Fountain script: Storyboarder marks each heading "... #1-ZX3ZM#".
std::vector<std::string> fountain_scene_ids(const fs::path& script) {
    std::vector<std::string> ids;
    std::ifstream in(script);
    std::string line;
    while (std::getline(in, line))
        if (auto id = fountain_heading_id(line); !id.empty()) ids.push_back(std::move(id));
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

/// The text of every scene heading of a Final Draft script, in script order; nullopt
/// (reported) when the file is unreadable.
std::optional<std::vector<std::string>> fdx_scene_headings(const fs::path& script,
                                                           Diagnostics& diagnostics) {
    std::unique_ptr<xmlDoc, XmlDocumentDeleter> document(
        xmlReadFile(script.string().c_str(), nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
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
    std::vector<std::string> texts;
    if (!headings || !headings->nodesetval) return texts;
    for (int i = 0; i < headings->nodesetval->nodeNr; ++i) {
        std::string text;  // the heading's <Text> runs (styled parts), not its properties
        for (xmlNode* child = headings->nodesetval->nodeTab[i]->children; child;
             child = child->next) {
            if (child->type != XML_ELEMENT_NODE || xmlStrcmp(child->name, BAD_CAST "Text") != 0)
                continue;
            xmlChar* content = xmlNodeGetContent(child);
            if (content) text += reinterpret_cast<const char*>(content);
            xmlFree(content);
        }
        texts.push_back(text);
    }
    return texts;
}

/// A heading as Storyboarder spells it in scene folder names: "EXT. A PLACE - DAY" ->
/// "EXT-A-PLACE-DAY" (letters and digits upper-cased, every other run one '-').
std::string folder_slug(const std::string& heading) {
    std::string slug;
    for (unsigned char c : heading) {
        if (std::isalnum(c))
            slug += static_cast<char>(std::toupper(c));
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    return slug;
}

/// True when a "Scene-N-<slug>-<id>" folder was made for a heading with this slug.
bool folder_matches(const SceneFolder& folder, const std::string& slug) {
    const std::string prefix = "Scene-" + std::to_string(folder.number) + "-" + slug + "-";
    return !slug.empty() && folder.folder.filename().string().starts_with(prefix);
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
    const bool too_deep = json_too_deep_at(text.str(), InputLimits{}.max_nesting_depth).has_value();
    auto root = too_deep ? nlohmann::json() : nlohmann::json::parse(text.str(), nullptr, false);
    if (too_deep || root.is_discarded() || !root.is_object()) {
        diagnostics.add({settings.string(), 0, 0}, "storyboard settings", "not valid JSON",
                        "re-save the project in Storyboarder");
        return std::nullopt;
    }
    auto it = root.find("aspectRatio");
    if (it == root.end()) return std::nullopt;
    if (it->is_number() && std::isfinite(it->get<double>())) return it->get<double>();
    if (it->is_string()) return parse_real(it->get<std::string>(), 0, 1e6);
    return std::nullopt;
}

class ProjectScanner {
  public:
    ProjectScanner(const fs::path& path, Diagnostics& diagnostics) : diagnostics_(diagnostics) {
        std::error_code error;
        const fs::path folder = fs::is_directory(path, error) ? path : path.parent_path();
        project_.script = is_script(path) ? path : find_script(folder);
        project_.settings = folder / "storyboards" / "storyboard.settings";
        folders_ = scene_folders(folder / "storyboards", diagnostics_);
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
            for (const auto& folder : folders_) add_scene(folder.folder, {});
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
                add_scene(found->folder, id);
        }
    }

    /// Storyboarder numbers an FDX script's scenes by their place (scene N is the Nth
    /// heading) and names the folder "Scene-N-<heading>-<id>". The scenes follow the
    /// script: each heading takes the folder made for its text (the one numbered like it
    /// first, so repeated headings keep their own), else the folder of its number whose
    /// text is no other heading's; so a script re-ordered after boarding keeps its boards.
    void order_by_fdx() {
        auto headings = fdx_scene_headings(project_.script, diagnostics_);
        script_unreadable_ = !headings;
        if (!headings) return;
        std::vector<std::string> slugs;
        for (const auto& heading : *headings) slugs.push_back(folder_slug(heading));
        std::vector<bool> used(folders_.size(), false);
        for (std::size_t i = 0; i < slugs.size(); ++i) {
            const auto index = fdx_folder_for(static_cast<int>(i) + 1, slugs[i], slugs, used);
            if (!index) {
                spdlog::info("{}: scene {} ({}) has no storyboard yet; left out",
                             project_.script.filename().string(), i + 1, (*headings)[i]);
                continue;
            }
            used[*index] = true;
            add_scene(folders_[*index].folder, std::to_string(i + 1));
        }
        for (std::size_t f = 0; f < folders_.size(); ++f)
            if (!used[f])
                spdlog::warn("{}: no scene of the script matches the boards in {}; left out",
                             project_.script.filename().string(),
                             folders_[f].folder.filename().string());
    }

    std::optional<std::size_t> fdx_folder_for(int number, const std::string& slug,
                                              const std::vector<std::string>& slugs,
                                              const std::vector<bool>& used) const {
        std::optional<std::size_t> by_text, by_number;
        for (std::size_t f = 0; f < folders_.size(); ++f) {
            if (used[f]) continue;
            if (folder_matches(folders_[f], slug) && (!by_text || folders_[f].number == number))
                by_text = f;
            const bool other_heading = std::any_of(
                slugs.begin(), slugs.end(),
                [&](const std::string& other) { return folder_matches(folders_[f], other); });
            if (folders_[f].number == number && !other_heading && !by_number) by_number = f;
        }
        return by_text ? by_text : by_number;
    }

    void add_scene(const fs::path& folder, const std::string& script_ref) {
        const fs::path file = scene_file_in(folder);
        std::error_code error;
        if (!fs::is_regular_file(file, error)) {
            diagnostics_.add({file.string(), 0, 0}, "Storyboarder project",
                             "scene folder without its scene file",
                             "restore " + file.filename().string() + " in " + folder.string());
            return;
        }
        project_.scenes.push_back(file);
        project_.scene_refs.push_back(script_ref);
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
