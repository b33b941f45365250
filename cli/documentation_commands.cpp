#include "cli/documentation_commands.h"

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/exit_codes.h"
#include "pipeline/version.h"

namespace storyreel {

namespace {

/// Subcommands in the order they were added, hidden ones (no group) left out.
std::vector<const CLI::App*> visible_subcommands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> visible_options(const CLI::App& app) {
    return app.get_options([](const CLI::Option* option) { return !option->get_group().empty(); });
}

/// Text made safe for roff: backslashes and hyphens escaped, no line starting with a
/// control character.
std::string roff(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

struct ExitCode {
    int code;
    const char* meaning;
};

const ExitCode kExitCodes[] = {
    {kExitOk, "everything asked for was produced"},
    {kExitBuildFailed,
     "the build failed on bad input found during work (corrupt board, undecodable audio, "
     "unwritable output), or a checksum did not match"},
    {kExitInvalidConfig,
     "the project or pipeline is invalid: every problem is listed with file:line:column "
     "and nothing was written"},
    {kExitChecksFailed,
     "production checks found a finding at or above --fail-on (check: default error; build: "
     "default never); the outputs were still written"},
    {kExitUsage, "bad command line"},
    {kExitInternalError,
     "internal error: an exception nothing expected (a bug), printed as 'storyreel: internal "
     "error: ... (please report)'; nothing is left under a final name"},
    {kExitRetry,
     "transient failure on the farm (cache folder not usable, I/O error, no space): run the same "
     "command again"},
};

void write_options(std::ostream& out, const CLI::App& command) {
    for (const CLI::Option* option : visible_options(command)) {
        const std::string names =
            option->nonpositional() ? option->get_name(false, true) : option->get_name(true);
        out << ".TP\n.B " << roff(names);
        const std::string type = option->get_type_name();
        if (option->get_expected_min() != 0 && !type.empty())
            out << " \\fI" << roff(type) << "\\fR";
        out << "\n"
            << roff(option->get_description()) << (option->get_required() ? " (required)" : "")
            << "\n";
    }
}

/// `prefix` is the command's path ("storyreel farm submit").
void write_command(std::ostream& out, const CLI::App& command, const std::string& prefix) {
    const auto subcommands = visible_subcommands(command);
    out << ".SS \"" << roff(prefix) << "\"\n" << roff(command.get_description()) << "\n";
    write_options(out, command);
    for (const CLI::App* sub : subcommands)
        write_command(out, *sub, prefix + " " + sub->get_name());
}

int print_manpage(const CLI::App& app) {
    std::ostringstream out;
    out << ".TH STORYREEL 1 \"\" \"storyreel " << kVersion << "\" \"User Commands\"\n"
        << ".SH NAME\nstoryreel \\- "
        << roff(app.get_description().substr(app.get_description().find(':') + 2))
        << "\n.SH SYNOPSIS\n.B storyreel\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fICOMMAND "
           "OPTIONS\\fR]\n"
        << ".SH DESCRIPTION\nstoryreel reads a storyboard project (a project YAML file, a "
           "Storyboarder scene or "
           "project, or a folder of boards), times its panels, and writes animatic movies, cut "
           "lists and a "
           "build report as a pipeline file says. Every command prints its own help with "
           "\\fB\\-\\-help\\fR.\n"
        << ".SH OPTIONS\n";
    write_options(out, app);
    out << ".SH COMMANDS\n";
    for (const CLI::App* sub : visible_subcommands(app))
        write_command(out, *sub, "storyreel " + sub->get_name());
    out << ".SH EXIT STATUS\n";
    for (const auto& [code, meaning] : kExitCodes)
        out << ".TP\n.B " << code << "\n" << roff(meaning) << "\n";
    out << ".TP\n.B 128+N\nstopped by signal N (130 for Ctrl\\-C): temporary files removed, "
           "nothing renamed into "
           "place\n"
        << ".SH ENVIRONMENT\n.TP\n.B STORYREEL_PIPELINE\nthe pipeline used when "
           "\\fB\\-\\-pipeline\\fR is not given "
           "(default: configs/animatic.yaml in the current folder, else the installed "
           "share/storyreel/configs/animatic.yaml)\n"
        << ".SH FILES\n.TP\n.I share/storyreel/configs/\nthe default pipelines (animatic.yaml, "
           "editorial.yaml, "
           "nightly.yaml) and their key\\-by\\-key reference\n"
        << ".SH SEE ALSO\n.BR ffmpeg (1),\n.BR sbatch (1)\n";
    std::cout << out.str();
    return kExitOk;
}

/// One `case` arm per command path: the words that may follow it, and the options of
/// those that take a value (after which a file name is completed).
void completion_cases(std::ostream& out, const CLI::App& command, const std::string& path) {
    std::string words, valued;
    for (const CLI::App* sub : visible_subcommands(command)) words += sub->get_name() + " ";
    for (const CLI::Option* option : visible_options(command))
        if (option->nonpositional()) {
            std::istringstream names(option->get_name(false, true));
            for (std::string name; std::getline(names, name, ',');) {
                words += name + " ";
                if (option->get_expected_min() != 0) valued += name + " ";
            }
        }
    out << "    \"" << path << "\") words=\"" << words << "\" valued=\"" << valued << "\" ;;\n";
    for (const CLI::App* sub : visible_subcommands(command))
        completion_cases(out, *sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
}

int print_bash_completion(const CLI::App& app) {
    std::ostringstream out;
    out << "# bash completion for storyreel (generated by `storyreel completion bash`)\n"
        << "_storyreel() {\n"
        << "    local cur=${COMP_WORDS[COMP_CWORD]} path=\"\" word words i\n"
        << "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
        << "        word=${COMP_WORDS[i]}\n"
        << "        [[ $word == -* ]] && continue\n"
        << "        case \" $(_storyreel_words \"$path\") \" in *\" $word \"*) path=${path:+$path "
           "}$word ;; esac\n"
        << "    done\n"
        << "    if [[ $cur != -* ]] && "
           "[[ \" $(_storyreel_words \"$path\" valued) \" == *\" ${COMP_WORDS[COMP_CWORD-1]} \"* "
           "]]; then\n"
        << "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
        << "        return\n"
        << "    fi\n"
        << "    COMPREPLY=($(compgen -W \"$(_storyreel_words \"$path\")\" -- \"$cur\"))\n"
        << "}\n"
        << "_storyreel_words() {\n"
        << "    local words=\"\" valued=\"\"\n"
        << "    case \"$1\" in\n";
    completion_cases(out, app, "");
    out << "    esac\n"
        << "    if [ \"$2\" = valued ]; then echo \"$valued\"; else echo \"$words\"; fi\n"
        << "}\n"
        << "complete -o default -F _storyreel storyreel\n";
    std::cout << out.str();
    return kExitOk;
}

}  // namespace

DocumentationCommands add_documentation_commands(CLI::App& app) {
    DocumentationCommands commands;
    commands.manpage = app.add_subcommand("manpage", "print the manual page (roff)");
    commands.manpage->group("");
    commands.completion = app.add_subcommand("completion", "print a shell completion script");
    commands.completion->group("");
    commands.completion->add_option("shell", *commands.shell, "bash")
        ->required()
        ->check(CLI::IsMember({"bash"}));
    return commands;
}

int run_documentation_command(const CLI::App& app, const DocumentationCommands& commands) {
    if (*commands.manpage) return print_manpage(app);
    if (*commands.completion) return print_bash_completion(app);
    return -1;
}

}  // namespace storyreel
