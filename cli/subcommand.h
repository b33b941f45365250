#pragma once
// A subcommand as the command line declares it, and what runs it once parsed. Each
// command's options are declared in the file of the command that runs them (add_*_command
// below); main.cpp only collects them, parses, sets up logging and runs the one chosen.

#include <CLI/CLI.hpp>
#include <functional>
#include <vector>

namespace storyreel {

struct CommonOptions;

/// What every command taking --project reads (they all use the same project readers).
inline constexpr const char* kProjectOptionHelp =
    "project YAML, Storyboarder scene/project or image folder";

struct Subcommand {
    CLI::App* parsed = nullptr;  ///< true (operator bool) after parsing when it was chosen
    std::function<int()> run;    ///< runs it; returns the exit code
};
using Subcommands = std::vector<Subcommand>;

// In the order `storyreel --help` lists them.
void add_validate_command(CLI::App& app, Subcommands& commands);  // commands.cpp
void add_build_command(CLI::App& app, Subcommands& commands,
                       const CommonOptions& common);              // commands.cpp
void add_farm_commands(CLI::App& app, Subcommands& commands);     // farm_commands.cpp
void add_timing_command(CLI::App& app, Subcommands& commands);    // timing_command.cpp
void add_check_command(CLI::App& app, Subcommands& commands);     // check_command.cpp
void add_demo_command(CLI::App& app, Subcommands& commands);      // commands.cpp
void add_cache_commands(CLI::App& app, Subcommands& commands);    // commands.cpp
void add_checksum_command(CLI::App& app, Subcommands& commands);  // checksum_command.cpp
void add_publish_commands(CLI::App& app, Subcommands& commands);  // publish_commands.cpp

}  // namespace storyreel
