#include "sources/project_sources.h"

#include "pipeline/yaml_fields.h"
#include "sources/image_sequence_source.h"
#include "sources/storyboarder_project.h"
#include "sources/storyboarder_source.h"

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

std::string detect_type(const fs::path& path) {
    if (is_storyboarder_scene(path) || is_storyboarder_project(path)) return "storyboarder";
    if (is_image_sequence_folder(path)) return "image_sequence";
    return {};
}

}  // namespace

bool ProjectSources::recognises(const fs::path& path) const { return !detect_type(path).empty(); }

void ProjectSources::read(const SourceRequest& request, Project& project,
                          Diagnostics& diagnostics) const {
    std::error_code error;
    if (!fs::exists(request.path, error)) {
        diagnostics.add({request.file, 0, 0}, "source", "not found: " + request.path.string(),
                        "fix the source path (relative to the project file)");
        return;
    }
    const std::string type = request.type.empty() ? detect_type(request.path) : request.type;
    if (type == "storyboarder") {
        if (request.from_yaml()) {
            YamlFields fields(request.options, request.file, "source", diagnostics);
            fields.allow_only({"type", "path"});
        }
        read_storyboarder(request, project, diagnostics);
        return;
    }
    if (type == "image_sequence") {
        read_image_sequence(request, project, diagnostics);
        return;
    }
    SourceLocation where{request.file, 0, 0};
    if (request.from_yaml()) where = location_of(request.options, request.file);
    diagnostics.add(where, "source",
                    type.empty()
                        ? "cannot tell what kind of source " + request.path.string() + " is"
                        : "unknown source type '" + type + "'",
                    "use type: storyboarder (a .storyboarder scene or a Storyboarder project) "
                    "or image_sequence (a folder of sq010_sh020_p003_v002.png boards)");
}

const ProjectSourceReader& project_sources() {
    static const ProjectSources sources;
    return sources;
}

}  // namespace storyreel::sources
