#include "nightly/nightly.h"

#include "pipeline/graph_executor.h"
#include "pipeline/yaml_fields.h"
#include "publish/changes.h"
#include "publish/manifest.h"
#include "publish/sequence_folder.h"

namespace storyreel::nightly {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path resolve(const fs::path& base, const std::string& value) {
    const fs::path path(value);
    return (path.is_absolute() ? path : base / path).lexically_normal();
}

void read_slurm(YamlFields& top, farm::SubmitOptions& submit, const std::string& file,
                Diagnostics& diagnostics) {
    if (!top.has("slurm")) return;
    YamlFields slurm(top.node("slurm"), file, "slurm", diagnostics);
    if (!slurm.is_map()) return;
    slurm.allow_only({"partition", "account", "qos", "time", "cpus_per_task"});
    submit.partition = slurm.string("partition").value_or("");
    submit.account = slurm.string("account").value_or("");
    submit.qos = slurm.string("qos").value_or("");
    submit.time_limit = slurm.string("time").value_or("");
    if (auto cpus = slurm.integer("cpus_per_task")) {
        if (*cpus < 1) slurm.problem("cpus_per_task", "must be at least 1");
        submit.cpus_per_task = static_cast<int>(*cpus);
    }
}

void read_projects(YamlFields& top, NightlyConfig& config, const fs::path& base,
                   Diagnostics& diagnostics) {
    const YAML::Node list = top.node("projects");
    if (!list.IsSequence() || list.size() == 0) {
        top.problem("projects", "must be a non-empty list of {project, pipeline, out}");
        return;
    }
    for (const auto& item : list) {
        YamlFields entry(item, config.file.string(), "project entry", diagnostics);
        if (!entry.is_map()) continue;
        entry.allow_only({"project", "pipeline", "out"});
        NightlyProject project;
        if (auto value = entry.string("project", true)) {
            project.project = resolve(base, *value);
            if (!fs::exists(project.project))
                entry.problem("project", project.project.string() + " does not exist",
                              "fix the path");
        }
        project.pipeline = resolve(base, entry.string("pipeline").value_or("animatic.yaml"));
        if (auto value = entry.string("out", true)) project.output = resolve(base, *value);
        config.projects.push_back(project);
    }
}

}  // namespace

NightlyConfig load_nightly_config(const fs::path& file) {
    Diagnostics diagnostics;
    NightlyConfig config;
    config.file = fs::absolute(file).lexically_normal();
    auto root = load_yaml_file(config.file.string(), diagnostics);
    if (!root) throw ValidationError(diagnostics);
    const fs::path base = config.file.parent_path();
    YamlFields top(*root, config.file.string(), "nightly", diagnostics);
    if (top.is_map()) {
        top.allow_only({"nightly", "engine", "publish", "cache", "spool", "shards", "wait", "slurm",
                        "projects"});
        if (auto version = top.integer("nightly", true); version && *version != 1)
            top.problem("nightly", "unknown version " + std::to_string(*version),
                        "this storyreel reads `nightly: 1`");
        config.submit.engine = top.string("engine").value_or("local");
        if (config.submit.engine != "local" && config.submit.engine != "slurm" &&
            config.submit.engine != "opencue" && config.submit.engine != "openjd")
            top.problem("engine", "unknown engine '" + config.submit.engine + "'",
                        "use local, slurm, opencue or openjd");
        if (auto publish = top.string("publish", true))
            config.publish_root = resolve(base, *publish);
        if (auto cache = top.string("cache")) config.submit.cache = resolve(base, *cache);
        config.spool_root = resolve(base, top.string("spool").value_or("farm-spool"));
        config.submit.spool_root = config.spool_root;
        if (auto shards = top.integer("shards")) {
            if (*shards < 1) top.problem("shards", "must be at least 1");
            config.submit.shards = static_cast<std::size_t>(std::max(1LL, *shards));
        }
        config.submit.wait = top.boolean("wait").value_or(true);
        read_slurm(top, config.submit, config.file.string(), diagnostics);
        if (top.has("projects"))
            read_projects(top, config, base, diagnostics);
        else
            top.problem("projects", "is required");
    }
    if (!diagnostics.empty()) throw ValidationError(diagnostics);
    return config;
}

std::vector<SequenceChange> compare_with_published(const ValidatedBuild& build,
                                                   const StageRegistry& registry,
                                                   const fs::path& publish_root) {
    // The stages' fingerprints, exactly as a build reports them, without building.
    const BuildEnvironment environment{fs::temp_directory_path(), fs::temp_directory_path(), 1,
                                       true};
    GraphExecutor executor(build.pipeline, registry, build.project, build.plan, environment);
    json stages = json::array();
    for (const auto& [name, fingerprint] : executor.fingerprints()) {
        const StageSpec* spec = build.pipeline.find(name);
        stages.push_back({{"name", name},
                          {"type", spec ? spec->type : std::string()},
                          {"settings", fingerprint}});
    }
    const json report = {{"inputs", json::array()}, {"stages", stages}};
    std::vector<SequenceChange> changes;
    for (const auto& unit : build.plan.units) {
        const json manifest = publish::describe_unit(build, unit, report);
        const publish::SequenceFolder folder(publish_root, build.project.show.name, unit.name);
        SequenceChange change{unit.name, true, 0, "never published"};
        if (const auto newest = folder.newest()) {
            const json previous = folder.manifest(*newest);
            change.published_version = *newest;
            change.changed = previous.value("fingerprint", "") != manifest.at("fingerprint");
            change.summary =
                change.changed
                    ? publish::summarize_changes(publish::compare_manifests(previous, manifest))
                    : "unchanged since " + publish::SequenceFolder::version_name(*newest);
        }
        changes.push_back(change);
    }
    return changes;
}

}  // namespace storyreel::nightly
