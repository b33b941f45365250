// Hostile names and paths through every farm engine: `$(...)`, backticks, quotes, a
// newline, spaces, ; & | *, non-ASCII, cuebot's #TOKEN#s, an OpenJD {{...}} and Slurm's %a
// in every path, and shell metacharacters in the job name. The generated shell scripts are
// run (a fake sbatch/scontrol first on PATH, a fake storyreel that records its argv NUL-
// separated); each recorded argv must be exactly the intended one and no injected command
// may have run. The OpenCue spec is read back with libxml2 and its command run the way RQD
// runs it; the OpenJD template is read back as JSON and resolved the way OpenJD does.

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/valid.h>
#include <libxml/xpath.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <set>

#include "farm/script_quoting.h"
#include "pipeline/exit_codes.h"
#include "tests/support/farm_workspace.h"
#include "tests/support/slurm_cluster.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;
using testing::read_whole_file;
using testing::run_program;
using Argv = std::vector<std::string>;

/// Every way a value has broken out of a job file, in one folder name. Running any part of
/// it creates a MARKER_* file in the current folder.
const std::string kHostileFolder =
    "in $(touch MARKER_DOLLAR) `touch MARKER_TICK` 'sq' \"dq\" ;&|* \xC3\xBC #JOB# #IFRAME# "
    "{{Param.OutputDir}} %a ${HOME} ${SLURM_JOB_ID}\nline two; touch MARKER_NEWLINE";
/// The same in a job name (a name holds no newline or '/': those are refused).
const std::string kHostileJobName =
    "job $(touch MARKER_NAME) `touch MARKER_NAME2` 'q' \"d\" ;&|* \xC3\xA9t\xC3\xA9 #JOB#";

void write_executable(const fs::path& file, const std::string& text) {
    std::ofstream(file) << text;
    fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

/// NUL-separated words of `file`.
Argv read_argv(const fs::path& file) {
    const std::string text = read_whole_file(file);
    Argv words;
    std::size_t begin = 0;
    for (std::size_t end; (end = text.find('\0', begin)) != std::string::npos; begin = end + 1)
        words.push_back(text.substr(begin, end - begin));
    return words;
}

std::string printable(const Argv& argv) {
    std::string text;
    for (const auto& word : argv) text += "[" + word + "] ";
    return text;
}

/// Sets an environment variable for one scope.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }

  private:
    const char* name_;
    std::optional<std::string> old_;
};

/// A workspace whose every path runs through kHostileFolder, fake programs that record
/// their argv, and a folder for the scripts to run in.
class HostileFarm : public ::testing::Test {
  protected:
    void SetUp() override {
        hostile = ws.dir.path() / kHostileFolder;
        fs::create_directories(hostile / "bin");
        fs::create_directory_symlink(ws.project.project_file.parent_path(), hostile / "project");
        project = hostile / "project" / ws.project.project_file.filename();
        pipeline = hostile / "pipeline.yaml";
        fs::copy_file(ws.pipeline_file, pipeline);
        out = hostile / "out";
        cache = hostile / "cache";
        spool = hostile / "spool";
        publish = hostile / "publish";
        script = hostile / "script $(touch MARKER_SCRIPT).fountain";
        std::ofstream(script)
            << "INT. KITCHEN - NIGHT\n\nMARA waits.\n\nMARA\nNobody goes there.\n";
        executable = hostile / "bin" / "storyreel $(touch MARKER_EXE)";
        records = ws.dir.path() / "records";
        run_here = ws.dir.path() / "run-here";
        fakes = ws.dir.path() / "fake-bin";
        fs::create_directories(records);
        fs::create_directories(run_here);
        fs::create_directories(fakes);
        write_executable(
            executable, "#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$RECORDS/storyreel.$$.$RANDOM\"\n");
        write_executable(fakes / "sbatch",
                         "#!/bin/bash\nn=$(( $(ls \"$RECORDS\" | grep -c '^sbatch') + 1 ))\n"
                         "printf '%s\\0' \"$@\" > \"$RECORDS/sbatch.$n\"\necho $((1000 + n))\n");
        write_executable(
            fakes / "scontrol",
            "#!/bin/bash\nprintf '%s\\0' \"$@\" > \"$RECORDS/scontrol.$$.$RANDOM\"\n"
            "if [ \"$1 $2\" = 'show config' ]; then echo 'RequeueExit             = 75'; fi\n");
    }

    /// `farm submit` with every path hostile; `options` (option, value, ...) add to or
    /// replace those.
    CliResult submit(const std::string& engine, const Argv& options = {}) {
        std::vector<std::pair<std::string, std::string>> given{
            {"--engine", engine},
            {"--project", project.string()},
            {"--pipeline", pipeline.string()},
            {"--out", out.string()},
            {"--cache", cache.string()},
            {"--spool", spool.string()},
            {"--publish", publish.string()},
            {"--script", script.string()},
            {"--executable", executable.string()},
            {"--name", kHostileJobName},
            {"--shards", "2"}};
        for (std::size_t i = 0; i + 1 < options.size(); i += 2) {
            auto same = std::find_if(given.begin(), given.end(),
                                     [&](const auto& o) { return o.first == options[i]; });
            if (same != given.end())
                same->second = options[i + 1];
            else
                given.emplace_back(options[i], options[i + 1]);
        }
        Argv args{"farm", "submit"};
        for (const auto& [option, value] : given) args.insert(args.end(), {option, value});
        const ScopedEnv path("PATH", fakes.string() + ":" + std::getenv("PATH"));
        const ScopedEnv recording("RECORDS", records.string());
        return testing::run_storyreel(args, run_here);
    }

    /// Runs a generated script the way the scheduler's node would.
    CliResult run_script(const Argv& command) {
        const ScopedEnv recording("RECORDS", records.string());
        return run_program(command, run_here);
    }

    /// The argv each recorded call of `program` got, oldest first by file name.
    std::vector<Argv> calls_of(const std::string& program) {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(records))
            if (entry.path().filename().string().rfind(program + ".", 0) == 0)
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        std::vector<Argv> calls;
        for (const auto& file : files) calls.push_back(read_argv(file));
        for (const auto& file : files) fs::remove(file);
        return calls;
    }

    Argv common() const {
        return {"build", "--project",  project.string(), "--pipeline",  pipeline.string(),
                "--out", out.string(), "--cache",        cache.string()};
    }
    Argv shard_argv(int index) const {
        Argv argv = common();
        const std::string i = std::to_string(index);
        argv.insert(argv.end(),
                    {"--shard", i + "/2", "--task", "shard-" + i, "--log-format", "json"});
        return argv;
    }
    Argv assemble_argv() const {
        Argv argv = common();
        argv.insert(argv.end(), {"--publish", publish.string(), "--script", script.string(),
                                 "--task", "assemble", "--log-format", "json"});
        return argv;
    }

    /// No injected command ran: no file named MARKER_* anywhere in the workspace (the
    /// hostile names only contain the text).
    void expect_no_markers() {
        for (const auto& entry : fs::recursive_directory_iterator(ws.dir.path()))
            EXPECT_NE(entry.path().filename().string().rfind("MARKER_", 0), 0u)
                << "an injected command ran: " << entry.path();
    }

    FarmWorkspace ws;
    fs::path hostile, project, pipeline, out, cache, spool, publish, script, executable, records,
        run_here, fakes;
};

Argv with(Argv argv, const Argv& more) {
    argv.insert(argv.end(), more.begin(), more.end());
    return argv;
}

TEST(ShellQuote, EveryByteSurvivesBashAndDash) {
    std::vector<std::string> words{"",   "plain", "a b", "it's", "'",        "''",
                                   "\\", "$(x)",  "`x`", "\n",   "a\nb",     "!",
                                   "#",  "~",     "*",   "-n",   "\xC3\xBC", "%s\\0"};
    std::string every_byte;
    for (int c = 1; c < 256; ++c) every_byte += static_cast<char>(c);
    words.push_back(every_byte);
    testing::TempDir dir;
    std::string script = "printf '%s\\0'";
    for (const auto& word : words) script += " " + farm::shell_quote(word);
    std::ofstream(dir.path() / "print.sh") << script << "\n";
    for (const char* shell : {"bash", "sh"}) {
        const CliResult result = run_program({shell, (dir.path() / "print.sh").string()});
        ASSERT_EQ(result.exit_code, 0) << shell << describe(result);
        Argv printed;
        std::size_t begin = 0;
        for (std::size_t end; (end = result.out.find('\0', begin)) != std::string::npos;
             begin = end + 1)
            printed.push_back(result.out.substr(begin, end - begin));
        EXPECT_EQ(printed, words) << shell;
    }
}

TEST(ShellQuote, OnlyTheShardIndexIsExpanded) {
    const std::string token(farm::kShardIndexToken);
    const std::string word = farm::shell_word("a'${SLURM_X}" + token + "$(b)/" + token, "\"${I}\"");
    EXPECT_EQ(word, "'a'\\''${SLURM_X}'\"${I}\"'$(b)/'\"${I}\"");
    EXPECT_EQ(farm::shell_word("x#JOB#y", {}, farm::QuoteStyle::opencue), "'x#''JOB#''y'");
}

TEST_F(HostileFarm, SlurmScriptsRunExactlyTheIntendedCommands) {
    const std::string partition = "part $(touch MARKER_PART) 'x' ;|&";
    const CliResult result =
        submit("slurm", {"--partition", partition, "--account", "acct `touch MARKER_ACCT`", "--qos",
                         "q\"o's", "--time", "30:00"});
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);

    // sbatch got every value as one argument of its own, never parsed from a directive.
    const auto sbatch_calls = calls_of("sbatch");
    ASSERT_EQ(sbatch_calls.size(), 2u);
    std::string log_folder;
    for (char c : (spool / "logs").string())
        log_folder += c == '%' ? std::string("%%") : std::string(1, c);
    const Argv values{"--job-name=" + kHostileJobName + "-shards",
                      "--output=" + log_folder + "/shard-%a.log",
                      "--partition=" + partition,
                      "--account=acct `touch MARKER_ACCT`",
                      "--qos=q\"o's",
                      "--time=30:00"};
    EXPECT_EQ(sbatch_calls[0],
              with(with({"--parsable"}, values), {(spool / "shards.sbatch").string()}))
        << printable(sbatch_calls[0]);
    ASSERT_GE(sbatch_calls[1].size(), 4u);
    EXPECT_EQ(sbatch_calls[1][1], "--job-name=" + kHostileJobName + "-assemble");
    EXPECT_EQ(sbatch_calls[1][2], "--output=" + log_folder + "/assemble.log");
    EXPECT_EQ(sbatch_calls[1].back(), (spool / "assemble.sbatch").string());

    // Directives hold fixed text only: nothing a user typed.
    for (const char* script : {"shards.sbatch", "assemble.sbatch"}) {
        std::istringstream lines(read_whole_file(spool / script));
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("#SBATCH", 0) != 0) continue;
            const std::regex fixed(
                R"(#SBATCH --(open-mode=append|requeue|cpus-per-task=\d+|array=1-\d+))");
            EXPECT_TRUE(std::regex_match(line, fixed)) << script << ": " << line;
        }
    }

    // The scripts, run as the node runs them, start exactly the intended commands.
    const CliResult shard = run_script({"env", "SLURM_ARRAY_TASK_ID=2", "SLURM_CPUS_PER_TASK=3",
                                        "bash", (spool / "shards.sbatch").string()});
    ASSERT_EQ(shard.exit_code, 0) << describe(shard);
    const CliResult assemble = run_script(
        {"env", "-u", "SLURM_CPUS_PER_TASK", "bash", (spool / "assemble.sbatch").string()});
    ASSERT_EQ(assemble.exit_code, 0) << describe(assemble);
    const auto calls = calls_of("storyreel");
    ASSERT_EQ(calls.size(), 2u);
    std::set<Argv> seen(calls.begin(), calls.end());
    EXPECT_TRUE(seen.count(with(shard_argv(2), {"--jobs", "3"}))) << printable(calls[0]) << "\n"
                                                                  << printable(calls[1]);
    EXPECT_TRUE(seen.count(with(assemble_argv(), {"--jobs", "1"}))) << printable(calls[0]) << "\n"
                                                                    << printable(calls[1]);
    expect_no_markers();
}

TEST_F(HostileFarm, LocalEngineStartsExactlyTheIntendedCommands) {
    const CliResult result = submit("local");
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const auto calls = calls_of("storyreel");
    ASSERT_EQ(calls.size(), 3u);
    std::set<Argv> seen;
    for (Argv call : calls) {
        ASSERT_GE(call.size(), 2u);
        if (call[call.size() - 2] == "--jobs")
            call.resize(call.size() - 2);  // depends on the cores here
        seen.insert(call);
    }
    EXPECT_EQ(seen, (std::set<Argv>{shard_argv(1), shard_argv(2), assemble_argv()}));
    expect_no_markers();
}

/// The text of every node `expression` selects in `doc`.
std::vector<std::string> xpath_texts(xmlDoc* doc, const char* expression) {
    std::vector<std::string> texts;
    xmlXPathContext* context = xmlXPathNewContext(doc);
    xmlXPathObject* found = xmlXPathEvalExpression(BAD_CAST expression, context);
    if (found && found->nodesetval)
        for (int i = 0; i < found->nodesetval->nodeNr; ++i) {
            xmlChar* text = xmlNodeGetContent(found->nodesetval->nodeTab[i]);
            texts.emplace_back(reinterpret_cast<const char*>(text));
            xmlFree(text);
        }
    xmlXPathFreeObject(found);
    xmlXPathFreeContext(context);
    return texts;
}

/// What cuebot does to a layer's command before RQD runs it (DispatchSupportService).
std::string cuebot_tokens_replaced(std::string command, const std::string& job,
                                   const std::string& layer, int frame) {
    char padded[16];
    std::snprintf(padded, sizeof padded, "%04d", frame);
    const std::pair<std::string, std::string> tokens[] = {
        {"#ZFRAME#", padded},
        {"#IFRAME#", std::to_string(frame)},
        {"#FRAME_START#", std::to_string(frame)},
        {"#FRAME_END#", std::to_string(frame)},
        {"#FRAME_CHUNK#", "1"},
        {"#LAYER#", layer},
        {"#JOB#", job},
        {"#FRAMESPEC#", std::to_string(frame)},
        {"#FRAME#", std::string(padded) + "-" + layer}};
    for (const auto& [token, value] : tokens)
        for (auto at = command.find(token); at != std::string::npos;
             at = command.find(token, at + value.size()))
            command.replace(at, token.size(), value);
    return command;
}

TEST_F(HostileFarm, OpenCueSpecCarriesEveryValueAndItsCommandsRunAsIntended) {
    const CliResult result = submit("opencue");
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const fs::path spec = spool / "opencue-job.xml";
    xmlDoc* doc = xmlReadFile(spec.c_str(), nullptr, XML_PARSE_NONET);
    ASSERT_NE(doc, nullptr) << read_whole_file(spec);
    const fs::path dtd_file =
        fs::path(STORYREEL_SHARED_DIR) / "schemas" / "opencue" / "cjsl-1.15.dtd";
    if (xmlDtd* dtd = xmlParseDTD(nullptr, BAD_CAST dtd_file.c_str())) {
        xmlValidCtxt* validation = xmlNewValidCtxt();
        EXPECT_EQ(xmlValidateDtd(validation, doc, dtd), 1) << "the spec does not follow cjsl-1.15";
        xmlFreeValidCtxt(validation);
        xmlFreeDtd(dtd);
    }
    const auto job_names = xpath_texts(doc, "//job/@name");
    const auto shard_cmd = xpath_texts(doc, "//layer[@name='shards']/cmd");
    const auto assemble_cmd = xpath_texts(doc, "//layer[@name='assemble']/cmd");
    xmlFreeDoc(doc);
    ASSERT_EQ(job_names.size(), 1u);
    EXPECT_TRUE(std::regex_match(job_names[0], std::regex(R"([\w.-]{3,})"))) << job_names[0];
    ASSERT_EQ(shard_cmd.size(), 1u);
    ASSERT_EQ(assemble_cmd.size(), 1u);

    // RQD writes the command into a file and runs it with /bin/sh (execvp's fallback).
    const std::pair<std::string, std::string> layers[] = {{"shards", shard_cmd[0]},
                                                          {"assemble", assemble_cmd[0]}};
    for (const auto& [layer, command] : layers) {
        const fs::path file = ws.dir.path() / ("rqd-cmd-" + layer);
        std::ofstream(file) << cuebot_tokens_replaced(command, job_names[0], layer, 2);
        const CliResult ran = run_script({"/bin/sh", file.string()});
        ASSERT_EQ(ran.exit_code, 0) << layer << describe(ran);
    }
    const auto calls = calls_of("storyreel");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(std::set<Argv>(calls.begin(), calls.end()),
              (std::set<Argv>{shard_argv(2), assemble_argv()}))
        << printable(calls[0]) << "\n"
        << printable(calls[1]);
    expect_no_markers();
}

TEST_F(HostileFarm, OpenJdTemplateCarriesPathsAsParametersAndNoInjectedExpression) {
    const CliResult result = submit("openjd");
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    const auto doc = nlohmann::json::parse(read_whole_file(spool / "openjd" / "template.json"));
    EXPECT_EQ(doc["name"], kHostileJobName);
    std::map<std::string, std::string> parameters;
    for (const auto& parameter : doc["parameterDefinitions"])
        parameters["{{Param." + parameter["name"].get<std::string>() + "}}"] = parameter["default"];
    EXPECT_EQ(parameters["{{Param.Storyreel}}"], executable.string());
    EXPECT_EQ(parameters["{{Param.OutputDir}}"], out.string());

    // Resolve every format string as OpenJD does (once, no re-evaluation of values) and
    // compare with the intended argv; the only expressions are our own references.
    const std::regex expression(R"(\{\{[^}]*\}\})");
    auto resolve = [&](const std::string& text) {
        std::string resolved;
        std::size_t begin = 0;
        for (std::sregex_iterator it(text.begin(), text.end(), expression), end; it != end; ++it) {
            const std::string reference = it->str();
            const bool known = parameters.count(reference) || reference == "{{Task.Param.Shard}}";
            EXPECT_TRUE(known) << "unexpected expression " << reference << " in " << text;
            resolved += text.substr(begin, it->position() - begin);
            resolved += reference == "{{Task.Param.Shard}}" ? "2" : parameters[reference];
            begin = it->position() + it->length();
        }
        return resolved + text.substr(begin);
    };
    EXPECT_EQ(doc["name"].get<std::string>().find("{{"), std::string::npos);
    std::vector<Argv> resolved;
    for (const auto& step : doc["steps"]) {
        const auto& run = step["script"]["actions"]["onRun"];
        EXPECT_EQ(resolve(run["command"]), executable.string());
        Argv argv;
        for (const auto& arg : run["args"]) argv.push_back(resolve(arg));
        resolved.push_back(argv);
    }
    ASSERT_EQ(resolved.size(), 2u);
    EXPECT_EQ(resolved[0], shard_argv(2)) << printable(resolved[0]);
    EXPECT_EQ(resolved[1], assemble_argv()) << printable(resolved[1]);
    expect_no_markers();
}

TEST_F(HostileFarm, WhatNoJobFileCanCarryIsRefusedNamingTheOptionAndNothingIsSubmitted) {
    struct Case {
        std::string engine;
        Argv extra;
        std::string named;
    };
    const Case cases[] = {
        {"slurm", {"--name", "job\ntouch MARKER_NL"}, "--name"},
        {"local", {"--name", "a/b"}, "--name"},
        {"slurm", {"--partition", "p\n#SBATCH --wrap=touch MARKER_P"}, "--partition"},
        {"slurm", {"--account", "a\rb"}, "--account"},
        {"slurm", {"--qos", "q\x1b[2J"}, "--qos"},
        {"slurm", {"--time", "1:00\n"}, "--time"},
        {"openjd", {"--name", "job {{Param.Storyreel}}"}, "--name"},
        {"openjd", {"--name", std::string(129, 'n')}, "--name"},
    };
    for (const auto& test : cases) {
        const CliResult result = submit(test.engine, test.extra);
        EXPECT_EQ(result.exit_code, kExitUsage)
            << test.engine << " " << printable(test.extra) << describe(result);
        EXPECT_NE(result.err.find(test.named), std::string::npos) << describe(result);
        EXPECT_NE(result.err.find("nothing was submitted"), std::string::npos) << describe(result);
        EXPECT_TRUE(calls_of("sbatch").empty());
        EXPECT_TRUE(calls_of("storyreel").empty());
    }
    // The assemble task's checks read the script: one that cannot be read is refused now.
    const CliResult unreadable = submit("slurm", {"--script", (hostile / "missing.fdx").string()});
    EXPECT_EQ(unreadable.exit_code, kExitInvalidConfig) << describe(unreadable);
    EXPECT_NE(unreadable.err.find("missing.fdx"), std::string::npos) << describe(unreadable);
    EXPECT_NE(unreadable.err.find("nothing was submitted"), std::string::npos)
        << describe(unreadable);
    EXPECT_TRUE(calls_of("sbatch").empty());
    // A control character in a path: fine for a shell script, not for XML.
    const fs::path bell = hostile / "bell\x07";
    fs::create_directories(bell);
    const CliResult xml = submit("opencue", {"--out", (bell / "out").string()});
    EXPECT_EQ(xml.exit_code, kExitUsage) << describe(xml);
    EXPECT_NE(xml.err.find("--out"), std::string::npos) << describe(xml);
    EXPECT_FALSE(fs::exists(spool / "opencue-job.xml"));
    expect_no_markers();
}

/// The same values through a real single-node Slurm: sbatch reads the scripts, slurmd runs
/// them, the real storyreel builds into the hostile output folder.
class HostileFarmOnSlurm : public HostileFarm {
  protected:
    static void SetUpTestSuite() {
        if (testing::SlurmCluster::missing_requirement().empty())
            cluster_ = std::make_unique<testing::SlurmCluster>();
    }
    static void TearDownTestSuite() { cluster_.reset(); }
    void SetUp() override {
        const std::string missing = testing::SlurmCluster::missing_requirement();
        if (!missing.empty()) GTEST_SKIP() << "no Slurm here: " << missing;
        HostileFarm::SetUp();
    }
    static inline std::unique_ptr<testing::SlurmCluster> cluster_;
};

TEST_F(HostileFarmOnSlurm, RealSlurmBuildsIntoHostilePathsAndRunsNoInjectedCommand) {
    Argv args{
        "farm",       "submit",          "--engine", "slurm",         "--project", project.string(),
        "--pipeline", pipeline.string(), "--out",    out.string(),    "--cache",   cache.string(),
        "--spool",    spool.string(),    "--name",   kHostileJobName, "--shards",  "2",
        "--script",   script.string(),   "--wait"};
    const CliResult result = testing::run_storyreel(args, run_here);
    ASSERT_EQ(result.exit_code, kExitOk) << describe(result);
    EXPECT_EQ(testing::movies_in(out).size(), 4u) << describe(result);
    // The assemble task's checks read the forwarded script: its scene is in the breakdown.
    EXPECT_NE(read_whole_file(out / "build.json").find("KITCHEN"), std::string::npos);
    EXPECT_TRUE(fs::exists(spool / "logs" / "shard-1.log"))
        << "the %a pattern resolved inside a folder holding %a";
    expect_no_markers();
}

}  // namespace
}  // namespace storyreel
