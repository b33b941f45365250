#include "pipeline/pipeline_spec.h"

#include <map>
#include <set>

#include "pipeline/project_loader.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

const StageSpec* PipelineSpec::find(const std::string& stage_name) const {
    for (const auto& stage : stages)
        if (stage.name == stage_name) return &stage;
    return nullptr;
}

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

void read_settings(YamlFields& root, PipelineSpec& pipeline, Diagnostics& diagnostics) {
    if (!root.has("settings")) return;
    YamlFields settings(root.node("settings"), root.file(), "pipeline settings", diagnostics);
    if (!settings.is_map()) return;
    settings.allow_only({"frames_in_flight", "output", "publish"});
    if (auto frames = settings.integer("frames_in_flight")) {
        if (*frames < 1 || *frames > 256)
            settings.problem("frames_in_flight", "must be between 1 and 256");
        else
            pipeline.frames_in_flight = static_cast<int>(*frames);
    }
    if (auto output = settings.string("output")) {
        if (*output == "per_sequence")
            pipeline.grouping = OutputGrouping::PerSequence;
        else if (*output == "whole_cut")
            pipeline.grouping = OutputGrouping::WholeCut;
        else
            settings.problem("output", "unknown value '" + *output + "'",
                             "use per_sequence or whole_cut");
    }
    if (auto publish = settings.string("publish")) {
        if (publish->empty())
            settings.problem("publish", "empty publish root", "name a folder, or remove the key");
        else
            pipeline.publish_root =
                (std::filesystem::path(root.file()).parent_path() / *publish).lexically_normal();
    }
}

std::vector<StageSpec> read_stages(YamlFields& root, const StageRegistry& registry,
                                   Diagnostics& diagnostics) {
    std::vector<StageSpec> stages;
    YAML::Node list = root.node("stages");
    if (!list.IsSequence() || list.size() == 0) {
        root.problem("stages", "expected a non-empty list of stages");
        return stages;
    }
    std::set<std::string> names;
    for (const auto& entry : list) {
        YamlFields fields(entry, root.file(), "stage", diagnostics);
        if (!fields.is_map()) continue;
        fields.allow_only({"name", "type", "params", "needs"});
        StageSpec stage;
        stage.where = fields.where();
        if (auto name = fields.string("name", true)) stage.name = *name;
        if (!stage.name.empty() && !is_safe_name(stage.name))
            fields.problem("name", "unsafe stage name '" + stage.name + "'",
                           "use letters, digits, '_', '-'");
        if (!stage.name.empty() && !names.insert(stage.name).second)
            fields.problem("name", "stage '" + stage.name + "' is defined twice");
        if (auto type = fields.string("type", true)) {
            stage.type = *type;
            if (!registry.find(stage.type))
                fields.problem("type", "unknown stage type '" + stage.type + "'",
                               "known types: " + join(registry.names()));
        }
        stage.params = fields.node("params");
        YAML::Node needs = fields.node("needs");
        if (needs.IsDefined() && !needs.IsNull()) {
            if (needs.IsScalar()) {
                stage.needs.push_back(needs.Scalar());
            } else if (needs.IsSequence()) {
                for (const auto& need : needs) stage.needs.push_back(need.as<std::string>(""));
            } else {
                fields.problem("needs", "expected a stage name or a list of stage names");
            }
        }
        stages.push_back(std::move(stage));
    }
    return stages;
}

/// Orders stages so every need comes first; reports unknown needs and cycles.
bool order_stages(std::vector<StageSpec>& stages, const std::string& file,
                  Diagnostics& diagnostics) {
    std::map<std::string, const StageSpec*> by_name;
    for (const auto& stage : stages) by_name[stage.name] = &stage;
    bool ok = true;
    for (const auto& stage : stages)
        for (const auto& need : stage.needs)
            if (!by_name.count(need)) {
                diagnostics.add(
                    stage.where, "stage '" + stage.name + "'",
                    "needs '" + need + "', which is not a stage of this pipeline",
                    "stages defined: " + [&] {
                        std::vector<std::string> names;
                        for (const auto& s : stages) names.push_back(s.name);
                        return join(names);
                    }());
                ok = false;
            }
    if (!ok) return false;

    std::vector<StageSpec> ordered;
    std::map<std::string, int> state;  // 0 new, 1 visiting, 2 done
    std::function<bool(const StageSpec&, std::vector<std::string>&)> visit =
        [&](const StageSpec& stage, std::vector<std::string>& path) {
            if (state[stage.name] == 2) return true;
            path.push_back(stage.name);
            if (state[stage.name] == 1) {
                diagnostics.add(
                    stage.where, "stage '" + stage.name + "'",
                    "cycle in needs: " +
                        [&] {
                            std::string text;
                            for (const auto& p : path) text += (text.empty() ? "" : " -> ") + p;
                            return text;
                        }(),
                    "remove one of these needs");
                return false;
            }
            state[stage.name] = 1;
            for (const auto& need : stage.needs)
                if (!visit(*by_name[need], path)) return false;
            state[stage.name] = 2;
            path.pop_back();
            ordered.push_back(stage);
            return true;
        };
    for (const auto& stage : stages) {
        std::vector<std::string> path;
        if (!visit(stage, path)) return false;
    }
    (void)file;
    stages = std::move(ordered);
    return true;
}

/// Checks that each stage's needs provide exactly the port types it takes.
void check_connections(const PipelineSpec& pipeline, const StageRegistry& registry,
                       Diagnostics& diagnostics) {
    for (const auto& stage : pipeline.stages) {
        const StageType* type = registry.find(stage.type);
        if (!type) continue;
        const std::string subject = "stage '" + stage.name + "'";
        std::multiset<std::string> provided;
        for (const auto& need : stage.needs) {
            const StageSpec* other = pipeline.find(need);
            const StageType* other_type = other ? registry.find(other->type) : nullptr;
            if (!other_type) continue;
            if (type->shape == StageShape::Publish) {  // it takes the files of output stages
                if (other_type->shape != StageShape::Sink)
                    diagnostics.add(
                        stage.where, subject,
                        "needs '" + need + "', a " + other_type->name +
                            " stage; a publish stage takes output stages (encode, cut_lists, ...)",
                        "name the output stages whose files it publishes, or leave needs out for "
                        "all");
                continue;
            }
            if (other_type->shape == StageShape::Sink || other_type->shape == StageShape::Publish) {
                diagnostics.add(stage.where, subject,
                                "needs '" + need + "', a " + other_type->name +
                                    " stage, which produces nothing to pass on");
                continue;
            }
            if (other_type->shape == StageShape::Cut && type->shape != StageShape::Sink) {
                diagnostics.add(stage.where, subject,
                                "needs '" + need + "' (" + other_type->output +
                                    "), which only output stages can take");
                continue;
            }
            provided.insert(other_type->output);
        }
        for (const auto& port : type->inputs) {
            const auto count = provided.count(port.type);
            if (count == 0 && port.required)
                diagnostics.add(
                    stage.where, subject,
                    "a " + type->name + " stage needs a stage that provides '" + port.type + "'",
                    "add such a stage to its needs");
            if (count > 1)
                diagnostics.add(stage.where, subject,
                                "more than one stage in needs provides '" + port.type + "'",
                                "keep one");
            provided.erase(port.type);
        }
        for (const auto& extra : provided)
            diagnostics.add(stage.where, subject,
                            "a " + type->name + " stage does not take '" + extra + "'",
                            "remove that stage from its needs");
    }
    bool has_sink = false;
    for (const auto& stage : pipeline.stages)
        if (const auto* type = registry.find(stage.type); type && type->shape == StageShape::Sink)
            has_sink = true;
    if (!has_sink)
        diagnostics.add({pipeline.file.string(), 0, 0}, "pipeline",
                        "has no output stage, so a build would produce nothing",
                        "add an encode stage");
    for (const auto& stage : pipeline.stages)
        if (const auto* type = registry.find(stage.type);
            !has_sink && type && type->shape == StageShape::Publish)
            diagnostics.add(stage.where, "stage '" + stage.name + "'",
                            "publishes the build's outputs, but the pipeline has no output stage",
                            "add an encode (and cut_lists) stage for it to publish");
}

}  // namespace

std::optional<PipelineSpec> load_pipeline(const std::filesystem::path& file,
                                          const StageRegistry& registry, Diagnostics& diagnostics) {
    const std::size_t before = diagnostics.size();
    auto root = load_yaml_file(file.string(), diagnostics);
    if (!root) return std::nullopt;
    PipelineSpec pipeline;
    pipeline.file = file;
    YamlFields fields(*root, file.string(), "pipeline", diagnostics);
    if (!fields.is_map()) return std::nullopt;
    fields.allow_only({"pipeline", "name", "settings", "stages", "checks"});
    if (auto version = fields.integer("pipeline", true);
        version && *version != kPipelineFormatVersion)
        fields.problem("pipeline",
                       "unsupported pipeline format version " + std::to_string(*version),
                       "this storyreel reads version " + std::to_string(kPipelineFormatVersion));
    if (auto name = fields.string("name")) pipeline.name = *name;
    read_settings(fields, pipeline, diagnostics);
    if (fields.has("checks")) pipeline.checks = {fields.node("checks"), file.string()};
    pipeline.stages = read_stages(fields, registry, diagnostics);
    if (diagnostics.size() != before) return std::nullopt;
    if (!order_stages(pipeline.stages, file.string(), diagnostics)) return std::nullopt;
    check_connections(pipeline, registry, diagnostics);
    if (diagnostics.size() != before) return std::nullopt;
    return pipeline;
}

void validate_stage_params(const PipelineSpec& pipeline, const StageRegistry& registry,
                           const Project& project, Diagnostics& diagnostics) {
    for (const auto& stage : pipeline.stages) {
        const StageType* type = registry.find(stage.type);
        if (!type) continue;
        StageParams params{stage.name, stage.params, pipeline.file.string(),
                           &project,   nullptr,      &pipeline};
        type->create(params, diagnostics);
    }
}

void check_stage_plans(const PipelineSpec& pipeline, const StageRegistry& registry,
                       const Project& project, const CutPlan& plan, Diagnostics& diagnostics) {
    for (const auto& stage : pipeline.stages) {
        const StageType* type = registry.find(stage.type);
        if (!type || !type->check_plan) continue;
        StageParams params{stage.name, stage.params, pipeline.file.string(), &project, nullptr,
                           &pipeline,  &plan};
        type->check_plan(params, diagnostics);
    }
}

}  // namespace storyreel
