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
    {"--script", "Script", "FILE", "IN", "screenplay the production checks compare the cut with"},
};

/// A job parameter's value (<JobParameterStringValue>): any character, at most 1024.
constexpr std::size_t kMaxParameterValue = 1024;

void check_parameter_value(const std::string& option, const std::string& value) {
    if (value.size() > kMaxParameterValue)
        throw FarmInputError(
            option + " is " + std::to_string(value.size()) +
            " bytes long; an Open Job Description parameter value holds at most 1024: "
            "use a shorter path");
    if (!is_valid_utf8(value))
        throw FarmInputError(option + " '" + value +
                             "' is not valid UTF-8, which a template cannot carry; rename it");
}

/// Text written into a format string as it is (<ArgString>): no control character, and no
/// "{{", which the 2023-09 specification has no escape for (it would be read as an
/// expression). Values that may hold either go in as job parameters instead.
void check_format_literal(const std::string& option, const std::string& text) {
    if (const auto control = control_character_in(text))
        throw FarmInputError(
            option + " holds " + *control +
            ", which an Open Job Description template cannot carry; give it without");
    if (text.find("{{") != std::string::npos)
        throw FarmInputError(
            option + " '" + text +
            "' holds '{{', which an Open Job Description template would read as an "
            "expression (the 2023-09 format has no escape for it); rename it, or use "
            "another --engine");
    check_parameter_value(option, text);
}

/// The task's arguments (without the executable): paths replaced by {{Param.X}}, the shard
/// index by {{Task.Param.Shard}}, every other argument checked to be plain text.
nlohmann::ordered_json parameterised_args(const std::vector<std::string>& args,
                                          std::map<std::string, std::string>& used) {
    nlohmann::ordered_json result = nlohmann::ordered_json::array();
    for (std::size_t i = 1; i < args.size(); ++i) {
        std::string arg = args[i];
        bool parameter_value = false;
        for (const auto& parameter : kPathParameters)
            if (args[i - 1] == parameter.option) {
                check_parameter_value(parameter.option, arg);
                used[parameter.name] = arg;
                arg = std::string("{{Param.") + parameter.name + "}}";
                parameter_value = true;
            }
        if (!parameter_value) {
            check_format_literal(option_of_argument(args, i), with_shard_index(arg, "1"));
            arg = with_shard_index(arg, "{{Task.Param.Shard}}");
        }
        result.push_back(arg);
    }
    return result;
}

nlohmann::ordered_json step_script(const nlohmann::ordered_json& args) {
    return {{"actions", {{"onRun", {{"command", "{{Param.Storyreel}}"}, {"args", args}}}}}};
}

/// <Description>: no control character but newline, carriage return and tab; 1..2048.
std::string description_text(const std::string& text) {
    std::string clean;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool c1 =
            c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
        if (c1)
            ++i;  // U+0080..U+009F
        else if (c >= 0x20 ? c != 0x7F : (c == '\n' || c == '\r' || c == '\t'))
            clean += text[i];
    }
    return is_valid_utf8(clean) && clean.size() <= 2048 ? clean : "storyreel animatic build";
}

}  // namespace

nlohmann::ordered_json make_openjd_template(const FarmJob& job) {
    check_format_literal("--name (the job name)", job.name);
    check_parameter_value("the storyreel executable (--executable)", job.shard_args.front());
    std::map<std::string, std::string> used;
    const auto shard_args = parameterised_args(job.shard_args, used);
    const auto assemble_args = parameterised_args(job.assemble_args, used);

    nlohmann::ordered_json parameters = nlohmann::ordered_json::array();
    parameters.push_back({{"name", "Storyreel"},
                          {"type", "STRING"},
                          {"description", "the storyreel executable on the workers"},
                          {"default", job.shard_args.front()}});
    for (const auto& parameter : kPathParameters)
        if (auto found = used.find(parameter.name); found != used.end())
            parameters.push_back({{"name", parameter.name},
                                  {"type", "PATH"},
                                  {"objectType", parameter.object_type},
                                  {"dataFlow", parameter.data_flow},
                                  {"description", parameter.description},
                                  {"default", found->second}});

    nlohmann::ordered_json shard_step = {
        {"name", "Shard"},
        {"description",
         "encodes one shard's shots into the shared cache (exit 75: transient, retry)"},
        {"parameterSpace",
         {{"taskParameterDefinitions",
           {{{"name", "Shard"},
             {"type", "INT"},
             {"range", "1-" + std::to_string(job.shards.size())}}}}}},
        {"script", step_script(shard_args)}};
    nlohmann::ordered_json assemble_step = {
        {"name", "Assemble"},
        {"description", "assembles the movies from the cache by stream copy"},
        {"dependencies", {{{"dependsOn", "Shard"}}}},
        {"script", step_script(assemble_args)}};
    return {{"specificationVersion", "jobtemplate-2023-09"},
            {"name", job.name},
            {"description", description_text("storyreel animatic build of " + job.show + ": " +
                                             std::to_string(job.shards.size()) +
                                             " shard(s) and an assemble step")},
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
