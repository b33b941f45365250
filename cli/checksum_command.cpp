#include "cli/checksum_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/subcommand.h"
#include "pipeline/block_checksum.h"
#include "pipeline/content_hash.h"
#include "pipeline/exit_codes.h"
#include "publish/ascmhl.h"

namespace storyreel {

namespace {

/// Checks every output build.json lists against the file on disk; 0 when all match.
int verify_report(const std::string& report) {
    std::ifstream in(report);
    nlohmann::json document;
    try {
        if (!in) throw std::runtime_error("cannot open it");
        document = nlohmann::json::parse(in);
    } catch (const std::exception& error) {
        std::cerr << "storyreel: " << report << ": not a readable build report (" << error.what()
                  << ")\n";
        return kExitUsage;
    }
    int failed = 0, checked = 0;
    for (const auto& output : document.value("outputs", nlohmann::json::array())) {
        const std::string path = output.value("path", ""), expected = output.value("checksum", "");
        if (path.empty() || expected.empty()) continue;
        ++checked;
        try {
            const std::string got = file_checksum_like(path, expected);
            if (got == expected) {
                std::cout << "OK      " << path << "\n";
                continue;
            }
            std::cout << "FAILED  " << path << ": is " << got << ", the report says " << expected
                      << "\n";
        } catch (const std::exception& error) {
            std::cout << "FAILED  " << path << ": " << error.what() << "\n";
        }
        ++failed;
    }
    std::cout << checked - failed << " of " << checked << " outputs match " << report << "\n";
    if (failed)
        std::cerr << "storyreel: " << failed
                  << " output(s) differ from the build report: build again\n";
    return failed ? kExitBuildFailed : kExitOk;
}

/// Checks a folder against its ASC MHL history (a published version, or a folder `pull`
/// delivered into); 0 when every listed file matches.
int verify_media_hash_list(const std::filesystem::path& folder) {
    publish::MhlVerification verification;
    try {
        verification = publish::verify_mhl_history(folder);
    } catch (const std::exception& error) {
        std::cerr << "storyreel: " << error.what() << "\n";
        return kExitBuildFailed;
    }
    for (const auto& problem : verification.problems) std::cout << "FAILED  " << problem << "\n";
    std::cout << verification.files_checked << " file(s) checked against "
              << verification.generations << " ASC MHL generation(s) in "
              << (folder / "ascmhl").string() << "\n";
    if (!verification.ok())
        std::cerr << "storyreel: " << folder.string() << ": " << verification.problems.size()
                  << " problem(s) against its media hash list: pull or publish again\n";
    return verification.ok() ? kExitOk : kExitBuildFailed;
}

}  // namespace

int run_checksum(const ChecksumOptions& options) {
    if (!options.report.empty() && std::filesystem::is_directory(options.report))
        return verify_media_hash_list(options.report);
    if (!options.report.empty() && !std::filesystem::exists(options.report)) {
        std::cerr << "storyreel: " << options.report
                  << ": no such file or folder: give a build report (OUT/build.json) or a folder "
                     "with an ascmhl/ media hash list (a published version, a pulled folder)\n";
        return kExitUsage;
    }
    if (!options.report.empty()) return verify_report(options.report);
    if (options.files.empty()) {
        std::cerr << "storyreel: checksum needs files, or --verify OUT/build.json\n";
        return kExitUsage;
    }
    int status = kExitOk;
    for (const auto& file : options.files) {
        try {
            const std::string checksum =
                options.whole ? hash_file(file) : block_list_checksum(hash_file_blocks(file));
            std::cout << checksum << "  " << file << "\n";
        } catch (const std::exception& error) {
            std::cerr << "storyreel: " << error.what() << "\n";
            status = kExitBuildFailed;
        }
    }
    return status;
}

void add_checksum_command(CLI::App& app, Subcommands& commands) {
    auto checksum = std::make_shared<ChecksumOptions>();
    auto* checksum_command = app.add_subcommand(
        "checksum",
        "print files' checksums as build reports record them, or verify a build report");
    checksum_command->add_option("files", checksum->files,
                                 "files to checksum (xxh128-8m: hashes of 8 MiB blocks)");
    checksum_command->add_flag("--whole", checksum->whole,
                               "xxh128 of the whole file instead (what xxhsum -H2 prints)");
    checksum_command->add_option("--verify", checksum->report,
                                 "check every output OUT/build.json lists against its file, or a "
                                 "FOLDER against its ascmhl/ media hash list");

    commands.push_back({checksum_command, [checksum] { return run_checksum(*checksum); }});
}

}  // namespace storyreel
