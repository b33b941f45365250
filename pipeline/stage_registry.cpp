#include "pipeline/stage_registry.h"

#include <cassert>

namespace storyreel {

void StageRegistry::add(StageType type) {
    assert(!types_.count(type.name) && "stage type registered twice");
    std::string name = type.name;
    types_.emplace(std::move(name), std::move(type));
}

const StageType* StageRegistry::find(const std::string& name) const {
    auto it = types_.find(name);
    return it == types_.end() ? nullptr : &it->second;
}

std::vector<std::string> StageRegistry::names() const {
    std::vector<std::string> result;
    for (const auto& [name, type] : types_) result.push_back(name);
    return result;
}

std::unique_ptr<Stage> StageRegistry::create(const StageType& type, const StageParams& params,
                                             Diagnostics& diagnostics) const {
    auto stage = type.create(params, diagnostics);
    if (stage)
        stage->set_fingerprint(derive_cache_key(type.name, type.key, params.params,
                                                params.project ? &params.project->show : nullptr,
                                                library_versions_, stage->files_in_key()));
    return stage;
}

}  // namespace storyreel
