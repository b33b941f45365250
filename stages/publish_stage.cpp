#include "stages/publish_stage.h"

#include <algorithm>

#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// The stage publishes; it has nothing to do while panels flow. What it publishes and
/// where is read from the validated pipeline after the build (publish_stage_of()).
class PublishStage : public Stage {};

void read_root(YamlFields& fields, const StageParams& params, PublishStageSettings& settings) {
    const auto root = fields.string("root");
    if (!root) return;
    if (root->empty()) {
        fields.problem("root", "empty publish root",
                       "name a folder, or leave `root` out and give --publish ROOT");
        return;
    }
    const fs::path resolved = (fs::path(params.file).parent_path() / *root).lexically_normal();
    std::error_code error;
    if (resolved == resolved.root_path())
        fields.problem("root", "publish root '" + *root + "' is the filesystem root",
                       "publish into a folder of its own, e.g. /shows/NAME/publish");
    else if (fs::exists(resolved, error) && !fs::is_directory(resolved, error))
        fields.problem("root", "publish root " + resolved.string() + " exists and is not a folder",
                       "name a folder (it is created when missing)");
    settings.root = resolved;
}

/// Its needs name output stages; none means every output stage of the pipeline.
void read_outputs(const StageParams& params, PublishStageSettings& settings) {
    if (!params.pipeline) return;
    if (const StageSpec* spec = params.pipeline->find(params.stage_name)) {
        settings.where = spec->where;
        settings.outputs.insert(spec->needs.begin(), spec->needs.end());
    }
}

/// One publish stage at most, and not beside `settings.publish`.
void check_unique(const StageParams& params, Diagnostics& diagnostics) {
    if (!params.pipeline) return;
    const StageSpec* self = params.pipeline->find(params.stage_name);
    for (const auto& stage : params.pipeline->stages) {
        if (stage.type != "publish" || stage.name == params.stage_name) continue;
        if (self && stage.where.line < self->where.line)
            diagnostics.add(self->where, "stage '" + params.stage_name + "'",
                            "a second publish stage (the first is '" + stage.name + "')",
                            "publish once per build: keep one publish stage");
    }
    if (self && !params.pipeline->publish_root.empty())
        diagnostics.add(
            self->where, "stage '" + params.stage_name + "'",
            "the pipeline also sets settings.publish (" + params.pipeline->publish_root.string() +
                ")",
            "keep one: move the root into this stage's `root` and remove settings.publish");
}

std::optional<PublishStageSettings> parse_publish_stage(const StageParams& params,
                                                        Diagnostics& diagnostics) {
    const std::size_t before = diagnostics.size();
    const YAML::Node node = params.params.IsDefined() && !params.params.IsNull()
                                ? params.params
                                : YAML::Node(YAML::NodeType::Map);
    YamlFields fields(node, params.file, "stage '" + params.stage_name + "' params", diagnostics);
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"root"});
    PublishStageSettings settings;
    settings.stage_name = params.stage_name;
    read_root(fields, params, settings);
    read_outputs(params, settings);
    check_unique(params, diagnostics);
    if (diagnostics.size() != before) return std::nullopt;
    return settings;
}

std::unique_ptr<Stage> create_publish(const StageParams& params, Diagnostics& diagnostics) {
    if (!parse_publish_stage(params, diagnostics)) return nullptr;  // problems are reported
    return std::make_unique<PublishStage>();
}

bool inside(const fs::path& path, const fs::path& folder) {
    auto [end, ignored] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
    return end == folder.end();
}

}  // namespace

StageType publish_stage_type() {
    return {"publish",
            StageShape::Publish,
            {},
            "",
            "publishes the outputs of the output stages it needs as the next version for editorial",
            create_publish};
}

std::optional<PublishStageSettings> publish_stage_of(const PipelineSpec& pipeline) {
    for (const auto& stage : pipeline.stages) {
        if (stage.type != "publish") continue;
        Diagnostics ignored;  // validated with the pipeline
        StageParams params{stage.name, stage.params, pipeline.file.string(),
                           nullptr,    nullptr,      &pipeline};
        return parse_publish_stage(params, ignored);
    }
    return std::nullopt;
}

std::string publish_root_conflict(const fs::path& root, const fs::path& output_dir) {
    std::error_code ignored;
    const fs::path a = fs::weakly_canonical(fs::absolute(root), ignored);
    const fs::path b = fs::weakly_canonical(fs::absolute(output_dir), ignored);
    if (a == b) return "the publish root is the build's output folder " + b.string();
    if (inside(a, b))
        return "the publish root " + a.string() + " is inside the build's output folder " +
               b.string();
    if (inside(b, a))
        return "the build's output folder " + b.string() + " is inside the publish root " +
               a.string();
    return {};
}

}  // namespace storyreel
