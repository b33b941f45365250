#include "farm/openjd_template.h"

#include <map>

#include "pipeline/atomic_file.h"
#include "pipeline/exit_codes.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

/// Command-line options whose value becomes a job parameter, and how it is declared.
struct PathParameter {
    const char* option;
    const char* name;
    const char* object_type;
    const char* data_flow;
    const char* description;
};

constexpr PathParameter kPathParameters[] = {
    {"--project", "Project", "FILE", "IN", "storyreel project file or folder"},
    {"--pipeline", "Pipeline", "FILE", "IN", "pipeline YAML"},
    {"--out", "OutputDir", "DIRECTORY", "OUT", "where the movies and build.json go"},
    {"--cache", "CacheDir", "DIRECTORY", "INOUT", "shot cache shared by every task"},
    {"--publish", "PublishRoot", "DIRECTORY", "OUT", "publish root"},
};

/// The task's arguments (without the executable) with paths replaced by {{Param.X}}.
nlohmann::ordered_json parameterised_args(const std::vector<std::string>& args,
                                          std::map<std::string, std::string>& used) {
    nlohmann::ordered_json result = nlohmann::ordered_json::array();
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string arg = args[i];
        for (const auto& parameter : kPathParameters)
            if (args[i - 1] == parameter.option) {
                used[parameter.name] = arg;
                arg = std::string("{{Param.") + parameter.name + "}}";
            }
        result.push_back(arg);
    }
    return result;
}

nlohmann::ordered_json step_script(const nlohmann::ordered_json& args) {
    return {{"actions", {{"onRun", {{"command", "{{Param.Storyreel}}"}, {"args", args}}}}}};
}

}  // namespace

nlohmann::ordered_json make_openjd_template(const FarmJob& job) {
    std::map<std::string, std::string> used;
    const auto shard_args = parameterised_args(job.shard_command("{{Task.Param.Shard}}"), used);
    const auto assemble_args = parameterised_args(job.assemble_args, used);

    nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
    parameters.push_back({{"name", "Storyreel"}, {"type", "STRING"},
                          {"description", "the storyreel executable on the workers"},
                          {"default", job.shard_args.front()}});
    for (const auto& parameter : kPathParameters)
        if (auto found = used.find(parameter.name); found != used.end())
            parameters.push_back({{"name", parameter.name}, {"type", "PATH"},
                                  {"objectType", parameter.object_type}, {"dataFlow", parameter.data_flow},
                                  {"description", parameter.description}, {"default", found->second}});

    nlohmann::ordered_json shard_step = {
        {"name", "Shard"},
        {"description", "encodes one shard's shots into the shared cache (exit 75: transient, retry)"},
        {"parameterSpace",
         {{"taskParameterDefinitions",
           {{{"name", "Shard"}, {"type", "INT"}, {"range", "1-" + std::to_string(job.shards.size())}}}}}},
        {"script", step_script(shard_args)}};
    nlohmann::ordered_json assemble_step = {
        {"name", "Assemble"},
        {"description", "assembles the movies from the cache by stream copy"},
        {"dependencies", {{{"dependsOn", "Shard"}}}},
        {"script", step_script(assemble_args)}};
    return {{"specificationVersion", "jobtemplate-2023-09"},
            {"name", job.name},
            {"description", "storyreel animatic build of " + job.show + ": " + std::to_string(job.shards.size()) +
                                " shard(s) and an assemble step"},
            {"parameterDefinitions", parameters},
            {"steps", {shard_step, assemble_step}}};
}

int submit_openjd_job(const FarmJob& job, std::ostream& out) {
    const fs::path bundle = job.spool / "openjd";
    fs::create_directories(bundle);
    const fs::path file = bundle / "template.json";
    write_file_atomically(file, make_openjd_template(job).dump(2) + "\n");
    out << "job " << job.name << ": Open Job Description template " << file.string() << " ("
        << job.shards.size() << " shard task(s) + assemble)\n"
        << "check it with:   openjd check " << shell_quote(file.string()) << "\n"
        << "submit it with:  deadline bundle submit " << shell_quote(bundle.string()) << "\n";
    return kExitOk;
}

}  // namespace storyreel::farm
