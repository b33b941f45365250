#include "cli/publish_commands.h"

#include <iostream>
#include <optional>
#include <sstream>
#include <tuple>

#include "cli/subcommand.h"
#include "pipeline/atomic_file.h"
#include "pipeline/checked_number.h"
#include "pipeline/exit_codes.h"
#include "publish/changed_edl.h"
#include "publish/changes.h"
#include "publish/listing.h"
#include "publish/publish_error.h"
#include "publish/publisher.h"
#include "publish/pull.h"
#include "publish/sequence_folder.h"
#include "stages/publish_stage.h"

namespace storyreel {

int check_publish_selection(const BuildOptions& options) {
    for (const auto& only : options.only)
        if (!options.publish.empty() && only.find('/') != std::string::npos) {
            std::cerr << "storyreel: --publish publishes whole sequences; --only " << only
                      << " selects part of one (use --only SEQ, or build without --publish)\n";
            return kExitUsage;
        }
    return kExitOk;
}

std::filesystem::path publish_root_for(const PipelineSpec& pipeline, const BuildOptions& options) {
    if (!options.publish.empty())
        return std::filesystem::absolute(options.publish).lexically_normal();
    if (const auto stage = publish_stage_of(pipeline); stage && !stage->root.empty())
        return stage->root;
    return pipeline.publish_root;
}

std::function<void(const PipelineSpec&, Diagnostics&)> publish_checks(const BuildOptions& options) {
    return [options](const PipelineSpec& pipeline, Diagnostics& diagnostics) {
        const auto stage = publish_stage_of(pipeline);
        const std::filesystem::path root = publish_root_for(pipeline, options);
        if (stage && root.empty())
            diagnostics.add(stage->where, "stage '" + stage->stage_name + "'",
                            "publishes, but names no root",
                            "add `params: {root: FOLDER}` to the stage, or give --publish ROOT");
        if (root.empty() || options.output.empty()) return;
        const std::string conflict = publish_root_conflict(root, options.output);
        if (conflict.empty()) return;
        const SourceLocation where = !options.publish.empty() ? SourceLocation{"--publish", 0, 0}
                                     : stage                  ? stage->where
                                             : SourceLocation{pipeline.file.string(), 0, 0};
        diagnostics.add(where, "publish root", conflict,
                        "publish into a folder of its own, apart from the build's --out folder");
    };
}

int publish_after_build(const BuildResult& result, const BuildOptions& options) {
    publish::PublishOptions publish_options;
    const PipelineSpec& pipeline = result.validated->pipeline;
    publish_options.root = publish_root_for(pipeline, options);
    publish_options.force = options.force_publish;
    if (const auto stage = publish_stage_of(pipeline)) publish_options.stages = stage->outputs;
    if (publish_options.root.empty()) return kExitOk;
    for (const auto& only : options.only)
        if (only.find('/') != std::string::npos) {
            std::cerr << "storyreel: warning: not published to " << publish_options.root.string()
                      << " (the pipeline's publish stage or settings.publish): --only " << only
                      << " built part of a sequence\n";
            return kExitOk;
        }
    try {
        for (const auto& outcome : publish::publish_build(result, publish_options)) {
            const std::string name = outcome.show + "/" + outcome.sequence;
            if (outcome.published)
                std::cout << "published: " << name << " v" << outcome.version << "  "
                          << outcome.folder.string() << "  (" << outcome.summary << ")\n";
            else
                std::cout << "unchanged: " << name
                          << ": nothing that determines the cut changed since v" << outcome.version
                          << "; nothing published (use --force to publish anyway)\n";
        }
        return kExitOk;
    } catch (const publish::PublishError& error) {
        std::cerr << "storyreel: publish failed: " << error.what() << '\n'
                  << "storyreel: earlier versions and `latest` are untouched\n";
        return kExitBuildFailed;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: publish failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

namespace {

/// "latest" -> nullopt; "3" or "v003" -> 3; anything else: -1.
std::optional<int> parse_version_option(const std::string& text, bool& ok) {
    ok = true;
    if (text == "latest") return std::nullopt;
    const std::string digits = !text.empty() && text[0] == 'v' ? text.substr(1) : text;
    const auto version = parse_integer(digits, 0, 999'999);
    ok = version.has_value();
    return version ? std::optional<int>(static_cast<int>(*version)) : std::nullopt;
}

int write_changed_lists(const CutsOptions& options) {
    bool ok = true;
    const auto wanted = parse_version_option(options.version, ok);
    if (!ok || options.sequence.empty() || (options.edl.empty() && options.otio.empty())) {
        std::cerr
            << "storyreel: cuts --changed needs --sequence Q, --edl FILE and/or --otio FILE, and "
               "--version N|latest\n";
        return kExitUsage;
    }
    const auto folders = publish::find_sequences(options.root, options.show, options.sequence);
    if (folders.size() != 1) {
        std::cerr << "storyreel: "
                  << (folders.empty() ? "no published sequence '" : "several shows publish '")
                  << options.sequence << "' under " << options.root
                  << (folders.empty() ? "" : " (say which with --show)") << "\n";
        return kExitInvalidConfig;
    }
    const auto& folder = folders.front();
    const auto versions = folder.versions();
    const int version =
        wanted.value_or(folder.linked_latest().value_or(versions.empty() ? 0 : versions.back()));
    const auto manifest = folder.manifest(version);
    const std::filesystem::path changes_file = folder.version_path(version) / "changes.json";
    const auto changes = publish::read_json_file(changes_file);
    // Both are made before either is written, so a refusal leaves neither. A key missing or
    // of another type is reported naming both files it may come from.
    const auto lists = publish::reading_json_of(
        folder.version_path(version) /
            ("manifest.json (or " + changes_file.filename().string() + ")"),
        [&] {
            return std::tuple{options.edl.empty()
                                  ? ""
                                  : publish::changed_events_edl(manifest, changes, options.stage),
                              options.otio.empty()
                                  ? ""
                                  : publish::changed_events_otio(manifest, changes, options.stage),
                              changes.at("panels").at("removed").size()};
        });
    const auto& [edl, otio, removed] = lists;
    for (const auto& [path, text] : {std::pair{options.edl, edl}, std::pair{options.otio, otio}}) {
        if (path.empty()) continue;
        write_file_atomically(path, text);
        std::cout << path << "  (" << folder.sequence() << " v" << version << ": "
                  << publish::summarize_changes(changes)
                  << (removed ? "; removed panels have no event, see CHANGES.txt" : "") << ")\n";
    }
    return kExitOk;
}

}  // namespace

int run_cuts(const CutsOptions& options) {
    try {
        if (options.changed) return write_changed_lists(options);
        std::cout << publish::list_published(options.root, options.show, options.sequence);
        return kExitOk;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

namespace {

/// Fills the request from the options; false (after saying why) on a bad option.
bool make_pull_request(const PullOptions& options, publish::PullRequest& request) {
    request.root = options.root;
    request.show = options.show;
    request.sequence = options.sequence;
    request.to = options.to;
    request.link = options.link;
    bool ok = true;
    request.version = parse_version_option(options.version, ok);
    if (!ok) {
        std::cerr << "storyreel: --version takes a number or 'latest', not '" << options.version
                  << "'\n";
        return false;
    }
    if (options.since >= 0) request.since = options.since;
    for (const auto& list : options.what) {
        std::stringstream items(list);
        for (std::string kind; std::getline(items, kind, ',');) {
            if (!publish::pull_kinds().count(kind)) {
                std::cerr << "storyreel: --what: unknown kind '" << kind
                          << "' (use movie, edl, otio, xml, changes, manifest, report)\n";
                return false;
            }
            request.what.insert(kind);
        }
    }
    for (const auto& name : options.names) {
        const auto equals = name.find('=');
        if (equals == std::string::npos || !publish::pull_kinds().count(name.substr(0, equals))) {
            std::cerr
                << "storyreel: --name takes KIND=TEMPLATE, e.g. movie={sequence}_animatic.{ext}\n";
            return false;
        }
        request.names[name.substr(0, equals)] = name.substr(equals + 1);
    }
    return true;
}

}  // namespace

int run_pull(const PullOptions& options) {
    publish::PullRequest request;
    if (!make_pull_request(options, request)) return kExitUsage;
    try {
        const auto result = publish::pull(request);
        const std::string name =
            result.show + "/" + result.sequence + " v" + std::to_string(result.version);
        if (result.skipped_by_since) {
            std::cout << "up to date: " << name << " is not newer than v" << options.since
                      << "; nothing pulled\n";
            return kExitOk;
        }
        for (const auto& text : result.changes_since) std::cout << text << "\n";
        std::size_t copied = 0;
        for (const auto& file : result.files) {
            copied += file.copied;
            std::cout << (file.copied ? "pulled:   " : "have:     ")
                      << (std::filesystem::path(options.to) / file.name).string()
                      << (file.copied ? " (" + file.transfer + ")" : std::string()) << "\n";
        }
        std::cout << (copied == 0 ? "up to date: " : "pulled: ") << name << " (" << copied << " of "
                  << result.files.size() << " file(s) copied)\n";
        return kExitOk;
    } catch (const publish::ChecksumError& error) {
        std::cerr << "storyreel: " << error.what() << '\n';
        return kExitBuildFailed;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: pull failed: " << error.what() << '\n'
                  << "storyreel: nothing was replaced in " << options.to << '\n';
        return kExitBuildFailed;
    }
}

void add_publish_commands(CLI::App& app, Subcommands& commands) {
    auto cuts = std::make_shared<CutsOptions>();
    auto* cuts_command =
        app.add_subcommand("cuts", "list published versions, or write a cut list of what changed");
    cuts_command->add_option("--publish", cuts->root, "publish root")->required();
    cuts_command->add_option("--show", cuts->show, "only this show");
    cuts_command->add_option("--sequence", cuts->sequence, "only this sequence");
    cuts_command->add_flag("--changed", cuts->changed,
                           "write a cut list of the changed events (with --edl and/or --otio)");
    cuts_command->add_option("--edl", cuts->edl, "CMX3600 EDL file to write (with --changed)");
    cuts_command->add_option("--otio", cuts->otio, "OpenTimelineIO file to write (with --changed)");
    cuts_command->add_option("--version", cuts->version, "version N or latest (with --changed)");
    cuts_command->add_option("--stage", cuts->stage,
                             "the movie the EDL's events come from (encode stage name)");

    auto pull = std::make_shared<PullOptions>();
    auto* pull_command =
        app.add_subcommand("pull", "copy a published version into an editor's folder");
    pull_command->add_option("--publish", pull->root, "publish root")->required();
    pull_command->add_option("--sequence", pull->sequence, "sequence")->required();
    pull_command->add_option("--to", pull->to, "editor's folder")->required();
    pull_command->add_option("--show", pull->show, "show (when several publish the sequence)");
    pull_command->add_option("--version", pull->version, "version N or latest (default)");
    pull_command
        ->add_option("--since", pull->since,
                     "do nothing unless newer than version N; print changes since")
        ->check(CLI::Range(0, 1000000));
    pull_command
        ->add_option(
            "--what", pull->what,
            "movie,edl,otio,xml,changes,manifest,report (default: all but manifest and report)")
        ->delimiter(',');
    pull_command->add_option("--name", pull->names,
                             "KIND=TEMPLATE, e.g. movie={sequence}_animatic.{ext} (repeatable)");
    pull_command->add_flag("--link", pull->link, "hard-link instead of copying where possible");

    commands.push_back({cuts_command, [cuts] { return run_cuts(*cuts); }});
    commands.push_back({pull_command, [pull] { return run_pull(*pull); }});
}

}  // namespace storyreel
