// Job files for schedulers storyreel does not run here: the OpenCue spec must validate
// against OpenCue's own DTD with xmllint, and the Open Job Description template must have
// the structure jobtemplate-2023-09 requires, checked by a small independent checker.

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "pipeline/exit_codes.h"
#include "tests/support/farm_workspace.h"
#include "tests/support/file_bytes.h"
#include "tests/support/slurm_cluster.h"

#ifndef STORYREEL_SOURCE_DIR
#define STORYREEL_SOURCE_DIR "."
#endif

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;
using testing::run_shell;

fs::path opencue_dtd() {
    return fs::path(STORYREEL_SOURCE_DIR).parent_path() / "shared" / "schemas" / "opencue" /
           "cjsl-1.15.dtd";
}

int xmllint_dtd(const fs::path& file, std::string* output = nullptr) {
    int code = -1;
    const std::string text = run_shell(
        "xmllint --noout --dtdvalid '" + opencue_dtd().string() + "' '" + file.string() + "'",
        &code);
    if (output) *output = text;
    return code;
}

std::string xpath(const fs::path& file, const std::string& expression) {
    std::string text = run_shell("xmllint --xpath '" + expression + "' '" + file.string() + "'");
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
}

TEST(OpenCueSpec, ValidatesAgainstTheDtdWithShardRangeAndLayerDependency) {
    ASSERT_TRUE(fs::exists(opencue_dtd())) << opencue_dtd();
    FarmWorkspace ws;
    const CliResult result = ws.submit("opencue", "out", "spool", {"--shards", "3"});
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const fs::path spec = ws.out("spool") / "opencue-job.xml";
    ASSERT_TRUE(fs::exists(spec)) << describe(result);
    EXPECT_TRUE(contains(result.out, "launchSpec")) << "prints how to submit: " << describe(result);

    std::string output;
    EXPECT_EQ(xmllint_dtd(spec, &output), 0) << output;
    EXPECT_EQ(xpath(spec, "string(//layer[@name=\"shards\"]/range)"), "1-3");
    EXPECT_EQ(xpath(spec, "string(//layer[@name=\"shards\"]/chunk)"), "1");
    const std::string shard_cmd = xpath(spec, "string(//layer[@name=\"shards\"]/cmd)");
    EXPECT_TRUE(contains(shard_cmd, "--shard '#IFRAME#/3'") ||
                contains(shard_cmd, "--shard #IFRAME#/3"))
        << shard_cmd;
    EXPECT_TRUE(contains(shard_cmd, ws.project.project_file.string())) << shard_cmd;
    const std::string assemble_cmd = xpath(spec, "string(//layer[@name=\"assemble\"]/cmd)");
    EXPECT_FALSE(contains(assemble_cmd, "--shard")) << assemble_cmd;
    EXPECT_TRUE(contains(assemble_cmd, "--cache")) << assemble_cmd;
    EXPECT_EQ(xpath(spec, "string(//depend/@type)"), "LAYER_ON_LAYER");
    EXPECT_EQ(xpath(spec, "string(//depend/deplayer)"), "assemble");
    EXPECT_EQ(xpath(spec, "string(//depend/onlayer)"), "shards");

    // The DTD check is real: the same spec with <range> before <cmd> is rejected.
    std::string text = testing::read_whole_file(spec);
    const auto cmd_begin = text.find("<cmd>");
    const auto cmd_end = text.find("</cmd>") + 6;
    const std::string cmd = text.substr(cmd_begin, cmd_end - cmd_begin);
    text.erase(cmd_begin, cmd_end - cmd_begin);
    text.insert(text.find("</range>") + 8, cmd);
    const fs::path broken = ws.out("broken.xml");
    std::ofstream(broken) << text;
    EXPECT_NE(xmllint_dtd(broken), 0);
}

// ---------------------------------------------------------------------------------------
// A small checker for jobtemplate-2023-09, written from the specification (Template
// Schemas: Job Template, Step, parameter definitions, format strings).

const std::regex kIdentifier("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

std::vector<std::string> check_parameter(const json& parameter, std::set<std::string>& names) {
    std::vector<std::string> problems;
    const std::string name = parameter.value("name", "");
    if (!std::regex_match(name, kIdentifier))
        problems.push_back("bad parameter name '" + name + "'");
    if (!names.insert(name).second) problems.push_back("duplicate parameter " + name);
    const std::string type = parameter.value("type", "");
    static const std::set<std::string> types{"STRING", "INT", "FLOAT", "PATH"};
    if (!types.count(type)) problems.push_back(name + ": type '" + type + "'");
    if (type == "PATH") {
        if (parameter.contains("objectType") && parameter["objectType"] != "FILE" &&
            parameter["objectType"] != "DIRECTORY")
            problems.push_back(name + ": objectType");
        static const std::set<std::string> flows{"NONE", "IN", "OUT", "INOUT"};
        if (parameter.contains("dataFlow") &&
            !flows.count(parameter["dataFlow"].get<std::string>()))
            problems.push_back(name + ": dataFlow");
    }
    if (parameter.contains("default") && (type == "STRING" || type == "PATH") &&
        !parameter["default"].is_string())
        problems.push_back(name + ": default must be a string");
    return problems;
}

/// Every {{ ... }} in `text` must name a defined value.
void check_references(const std::string& text, const std::set<std::string>& job_params,
                      const std::set<std::string>& task_params,
                      std::vector<std::string>& problems) {
    static const std::regex reference(R"(\{\{\s*([A-Za-z_.]+)\s*\}\})");
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
        const std::string name = (*it)[1];
        const bool ok = (name.rfind("Param.", 0) == 0 && job_params.count(name.substr(6))) ||
                        (name.rfind("RawParam.", 0) == 0 && job_params.count(name.substr(9))) ||
                        (name.rfind("Task.Param.", 0) == 0 && task_params.count(name.substr(11))) ||
                        name == "Session.WorkingDirectory";
        if (!ok) problems.push_back("unresolved reference {{" + name + "}}");
    }
    if (std::count(text.begin(), text.end(), '{') != std::count(text.begin(), text.end(), '}'))
        problems.push_back("unbalanced braces in '" + text + "'");
}

std::vector<std::string> check_step(const json& step, const std::set<std::string>& job_params,
                                    const std::set<std::string>& step_names) {
    std::vector<std::string> problems;
    const std::string name = step.value("name", "");
    std::set<std::string> task_params;
    if (step.contains("parameterSpace"))
        for (const auto& parameter :
             step["parameterSpace"].value("taskParameterDefinitions", json::array())) {
            const std::string type = parameter.value("type", "");
            if (!std::regex_match(parameter.value("name", ""), kIdentifier))
                problems.push_back(name + ": task parameter name");
            if (type != "INT" && type != "FLOAT" && type != "STRING" && type != "PATH")
                problems.push_back(name + ": task parameter type");
            if (type == "INT" &&
                !(parameter.contains("range") &&
                  ((parameter["range"].is_string() &&
                    std::regex_match(parameter["range"].get<std::string>(),
                                     std::regex(R"(^-?\d+(-\d+)?(:\d+)?(,-?\d+(-\d+)?)*$)"))) ||
                   parameter["range"].is_array())))
                problems.push_back(name + ": INT range");
            task_params.insert(parameter.value("name", ""));
        }
    if (!step.contains("script") || !step["script"].contains("actions") ||
        !step["script"]["actions"].contains("onRun") ||
        !step["script"]["actions"]["onRun"].contains("command"))
        problems.push_back(name + ": script.actions.onRun.command is required");
    else {
        const json& run = step["script"]["actions"]["onRun"];
        check_references(run["command"].get<std::string>(), job_params, task_params, problems);
        for (const auto& arg : run.value("args", json::array())) {
            if (!arg.is_string())
                problems.push_back(name + ": args must be strings");
            else
                check_references(arg.get<std::string>(), job_params, task_params, problems);
        }
    }
    for (const auto& dependency : step.value("dependencies", json::array())) {
        const std::string on = dependency.value("dependsOn", "");
        if (!step_names.count(on) || on == name)
            problems.push_back(name + ": depends on unknown step '" + on + "'");
    }
    return problems;
}

std::vector<std::string> check_openjd_template(const json& doc) {
    std::vector<std::string> problems;
    static const std::set<std::string> top_keys{
        "specificationVersion", "$schema",   "name", "description", "parameterDefinitions", "steps",
        "jobEnvironments",      "extensions"};
    for (const auto& [key, value] : doc.items())
        if (!top_keys.count(key)) problems.push_back("unknown top-level key " + key);
    if (doc.value("specificationVersion", "") != "jobtemplate-2023-09")
        problems.push_back("specificationVersion");
    const std::string name = doc.value("name", "");
    if (name.empty() || name.size() > 128) problems.push_back("name must be 1..128 characters");
    std::set<std::string> job_params;
    for (const auto& parameter : doc.value("parameterDefinitions", json::array())) {
        auto found = check_parameter(parameter, job_params);
        problems.insert(problems.end(), found.begin(), found.end());
    }
    if (!doc.contains("steps") || !doc["steps"].is_array() || doc["steps"].empty()) {
        problems.push_back("steps must be a non-empty list");
        return problems;
    }
    std::set<std::string> step_names;
    for (const auto& step : doc["steps"])
        if (!step_names.insert(step.value("name", "")).second || step.value("name", "").empty() ||
            step.value("name", "").size() > 64)
            problems.push_back("step names must be unique, 1..64 characters");
    for (const auto& step : doc["steps"]) {
        auto found = check_step(step, job_params, step_names);
        problems.insert(problems.end(), found.begin(), found.end());
    }
    return problems;
}

std::string joined(const std::vector<std::string>& problems) {
    std::string text;
    for (const auto& problem : problems) text += problem + "\n";
    return text;
}

TEST(OpenJdTemplate, HasTheStructureTheSpecificationRequires) {
    FarmWorkspace ws;
    const CliResult result = ws.submit("openjd", "out", "spool", {"--shards", "3"});
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const fs::path file = ws.out("spool") / "openjd" / "template.json";
    ASSERT_TRUE(fs::exists(file)) << describe(result);
    const json doc = json::parse(testing::read_whole_file(file));
    EXPECT_EQ(check_openjd_template(doc), std::vector<std::string>{})
        << joined(check_openjd_template(doc));

    ASSERT_EQ(doc["steps"].size(), 2u);
    const json& shard = doc["steps"][0];
    const json& assemble = doc["steps"][1];
    EXPECT_EQ(shard["parameterSpace"]["taskParameterDefinitions"][0]["type"], "INT");
    EXPECT_EQ(shard["parameterSpace"]["taskParameterDefinitions"][0]["range"], "1-3");
    const auto shard_args =
        shard["script"]["actions"]["onRun"]["args"].get<std::vector<std::string>>();
    EXPECT_NE(std::find(shard_args.begin(), shard_args.end(), "{{Task.Param.Shard}}/3"),
              shard_args.end());
    EXPECT_EQ(assemble["dependencies"][0]["dependsOn"], shard["name"]);
    EXPECT_FALSE(assemble.contains("parameterSpace"));

    // The checker is not a rubber stamp.
    json broken = doc;
    broken["steps"][1]["dependencies"][0]["dependsOn"] = "Render";
    broken["steps"][0]["script"]["actions"]["onRun"]["args"].push_back("{{Param.Nope}}");
    broken["specificationVersion"] = "jobtemplate-2022";
    EXPECT_EQ(check_openjd_template(broken).size(), 3u) << joined(check_openjd_template(broken));
}

}  // namespace
}  // namespace storyreel
