#pragma once
// Stage types by name. Each type says its shape, the port types it takes and makes, and
// how to create an instance from its YAML params (validating them into Diagnostics).

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/cache_key.h"
#include "pipeline/diagnostics.h"
#include "pipeline/stage.h"

namespace storyreel {

struct PipelineSpec;

/// Panel: per panel, in parallel; Cut: once per build (audio); Sink: an output stage;
/// Publish: runs after the build succeeded, on the files of the output stages it needs.
enum class StageShape { Panel, Cut, Sink, Publish };

/// One input a stage type takes: a port type name, and whether it must be connected.
struct InputPort {
    std::string type;
    bool required = true;
};

/// What a stage instance is created from.
struct StageParams {
    std::string stage_name;
    YAML::Node params;  ///< may be undefined when the stage has no params
    std::string file;   ///< the pipeline file (for positions in messages)
    const Project* project = nullptr;
    const BuildEnvironment* environment = nullptr;  ///< null when only validating
    /// The whole pipeline, for stages that refer to other stages by name (cut_lists names
    /// the encode stage whose movie its lists point at).
    const PipelineSpec* pipeline = nullptr;
    const CutPlan* plan = nullptr;  ///< null when only validating
};

struct StageType {
    std::string name;
    StageShape shape = StageShape::Panel;
    std::vector<InputPort> inputs;
    std::string output;  ///< port type produced; empty for sinks
    std::string summary;
    /// Validates params into `diagnostics`; returns null when they are invalid.
    std::function<std::unique_ptr<Stage>(const StageParams&, Diagnostics&)> create;
    /// Optional: checks the params against the planned cut (`params.plan` is set) once the
    /// cut is planned at validation, for limits only the cut decides.
    std::function<void(const StageParams&, Diagnostics&)> check_plan = nullptr;
    /// What enters the keys of the type's stages beside its name and params.
    CacheKeyRecipe key;
};

class StageRegistry {
  public:
    void add(StageType type);
    const StageType* find(const std::string& name) const;
    std::vector<std::string> names() const;

    /// The versions of the libraries the stage types' recipes name (the loaded ones, from
    /// stages/; a test's own); "unknown" for each until given.
    void set_library_versions(LibraryVersions versions) { library_versions_ = std::move(versions); }
    const LibraryVersions& library_versions() const { return library_versions_; }

    /// Creates a stage of `type` from `params` (validating them into `diagnostics`; null
    /// when they are invalid) with its fingerprint derived from them.
    std::unique_ptr<Stage> create(const StageType& type, const StageParams& params,
                                  Diagnostics& diagnostics) const;

  private:
    std::map<std::string, StageType> types_;
    LibraryVersions library_versions_;
};

}  // namespace storyreel
