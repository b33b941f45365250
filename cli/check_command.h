#pragma once
// `storyreel check`: the production checks without rendering, and the checks' part of
// `validate` and `build`.

#include <memory>
#include <string>
#include <vector>

#include "checks/build_checks.h"
#include "pipeline/build.h"

namespace storyreel {

struct CheckOptions {
    std::string project;
    std::string pipeline;
    std::vector<std::string> only;
    std::string script;             ///< --script FILE: a screenplay for projects without one
    std::string json;               ///< --json FILE
    std::string fail_on = "error";  ///< error, warning, info or never
    std::string cache;              ///< where board signatures and input hashes are kept
    std::string publish;            ///< --publish ROOT: earlier versions for stale boards
};

int run_check(const CheckOptions& options);

/// Validates the `checks:` blocks, acks and script with the rest of the project, and (for
/// builds) runs the checks into build.json. `script` is `--script` (may be empty).
/// `publish` is `--publish ROOT` (empty: the pipeline's `settings.publish`), whose earlier
/// versions the stale-board check compares with.
std::shared_ptr<checks::CheckSession> attach_production_checks(BuildRequest& request,
                                                               const std::string& script,
                                                               const std::string& publish = {});

/// 3 when `report` has an unacknowledged finding at or above `fail_on` ("never": never).
int checks_exit_code(const checks::CheckReport& report, const std::string& fail_on);

}  // namespace storyreel
