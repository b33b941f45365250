#pragma once
// The manual page and the bash completion, generated from the command line's own
// definition (every subcommand, option, type and description CLI11 knows), so neither can
// drift from the help. Hidden commands: `storyreel manpage` prints storyreel.1 (roff);
// `storyreel completion bash` prints a completion script. The build runs both and
// `cmake --install` installs their output.

#include <CLI/CLI.hpp>

namespace storyreel {

#include <memory>
#include <string>

struct DocumentationCommands {
    CLI::App* manpage = nullptr;
    CLI::App* completion = nullptr;
    std::unique_ptr<std::string> shell =
        std::make_unique<std::string>();  ///< completion's argument
};

/// Adds the two hidden subcommands to `app` (call after every other subcommand is added).
DocumentationCommands add_documentation_commands(CLI::App& app);

/// Runs whichever of them was given; returns its exit code, or -1 when neither was.
int run_documentation_command(const CLI::App& app, const DocumentationCommands& commands);

}  // namespace storyreel
