#pragma once
// The project sources storyreel reads besides its own YAML, chosen by what --project
// points at or by a `source:` block's `type`.

#include "pipeline/project_source.h"

namespace storyreel::sources {

class ProjectSources : public ProjectSourceReader {
  public:
    bool recognises(const std::filesystem::path& path) const override;
    void read(const SourceRequest& request, Project& project,
              Diagnostics& diagnostics) const override;
};

/// The reader the command line uses.
const ProjectSourceReader& project_sources();

}  // namespace storyreel::sources
