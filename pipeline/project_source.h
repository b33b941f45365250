#pragma once
// Projects whose panels come from somewhere other than the project YAML's `sequences:`
// list: a Storyboarder scene or project, an artist's image-sequence folder.
//
// The loader stays ignorant of those formats: it hands a SourceRequest to a
// ProjectSourceReader (sources/ provides the real one), which fills the Project's
// sequences, and the show settings the YAML left open, reporting into Diagnostics.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string>

#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

namespace storyreel {

struct SourceRequest {
    std::string type;            ///< "storyboarder", "image_sequence"; empty: detect from path
    std::filesystem::path path;  ///< absolute
    YAML::Node options;          ///< the `source:` block; undefined when --project named the source
    std::string file;            ///< where `options` was read from (for messages)
    std::set<std::string> show_keys;  ///< show keys the YAML set; the source leaves them alone
    std::filesystem::path cache_dir;  ///< for derived boards; empty: validate only, write nothing

    /// True when a `source:` block asked for it, false when --project named it.
    bool from_yaml() const { return options.IsMap(); }
};

class ProjectSourceReader {
  public:
    virtual ~ProjectSourceReader() = default;
    /// True when `path` (what --project named) is a source this reader reads rather than
    /// a storyreel project YAML.
    virtual bool recognises(const std::filesystem::path& path) const = 0;
    /// Fills `project.sequences` (and show settings not in request.show_keys).
    virtual void read(const SourceRequest& request, Project& project,
                      Diagnostics& diagnostics) const = 0;
};

/// How a project is loaded beyond its YAML.
struct ProjectLoadOptions {
    const ProjectSourceReader* sources = nullptr;  ///< null: YAML `sequences:` only
    std::filesystem::path cache_dir;               ///< passed on as SourceRequest::cache_dir
};

}  // namespace storyreel
