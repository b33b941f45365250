#pragma once
// Running the checks over a cut: gathering what the rules read (script, board
// signatures), running every enabled rule, applying acknowledgements, ordering.

#include <filesystem>
#include <map>
#include <optional>

#include "checks/check_context.h"
#include "checks/check_rule.h"
#include "checks/finding.h"
#include "pipeline/board_signature.h"
#include "pipeline/screenplay.h"

namespace storyreel::checks {

/// Runs every enabled rule of `rules` on `context`; marks findings a panel's `ack` (or
/// `checks.acknowledge`) accepted; orders them by place in the cut (script-only last),
/// then severity; adds the breakdown.
CheckReport run_checks(const CheckContext& context, const RuleRegistry& rules = builtin_rules());

/// The signature of every board in the plan: from `store` by content hash, else read
/// once with `reader` (in parallel) and recorded in `store`. Boards without a content
/// hash are skipped.
std::map<std::filesystem::path, BoardSignature> collect_signatures(
    const CutPlan& plan, const std::map<std::filesystem::path, std::string>& board_hashes,
    BoardSignatureStore& store, const BoardSignatureReader* reader);

/// The project's script (`override` when given, else Project::script) read and linked to
/// the sequences; nullopt when there is none. A script that cannot be read or parsed is
/// a diagnostic naming it.
std::optional<LinkedScript> load_linked_script(const Project& project,
                                               const std::filesystem::path& override_file,
                                               const ScriptReader* reader,
                                               Diagnostics& diagnostics);

}  // namespace storyreel::checks
