#include "cli/publish_commands.h"

#include <iostream>

#include "pipeline/exit_codes.h"
#include "publish/publish_error.h"
#include "publish/publisher.h"

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

int publish_after_build(const BuildResult& result, const BuildOptions& options) {
    publish::PublishOptions publish_options;
    publish_options.root = options.publish.empty() ? result.validated->pipeline.publish_root
                                                   : std::filesystem::path(options.publish);
    publish_options.force = options.force_publish;
    if (publish_options.root.empty()) return kExitOk;
    try {
        for (const auto& outcome : publish::publish_build(result, publish_options)) {
            const std::string name = outcome.show + "/" + outcome.sequence;
            if (outcome.published)
                std::cout << "published: " << name << " v" << outcome.version << "  "
                          << outcome.folder.string() << "  (" << outcome.summary << ")\n";
            else
                std::cout << "unchanged: " << name << ": nothing that determines the cut changed since v"
                          << outcome.version << "; nothing published (use --force to publish anyway)\n";
        }
        return kExitOk;
    } catch (const publish::PublishError& error) {
        std::cerr << "storyreel: publish failed: " << error.what() << '\n'
                  << "storyreel: earlier versions and `latest` are untouched\n";
        return kExitBuildFailed;
    } catch (const std::exception& error) {
        std::cerr << "storyreel: publish failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

}  // namespace storyreel
