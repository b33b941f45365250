#pragma once
// Applying an editorial cut to a loaded project: panels take the order and lengths of the
// cut's events; panels the cut does not use are dropped and reported.
//
// A project-level cut covers the whole project; a sequence-level cut covers its sequence.
// Shots (and, for a project-level cut, sequences) keep their panels together: a cut that
// splits one is refused, as is a cut naming a panel that does not exist.

#include <string>
#include <vector>

#include "editorial/editorial_cut.h"
#include "pipeline/project.h"

namespace storyreel {

/// What applying a cut changed, for the warnings printed to the user.
struct CutApplication {
    std::filesystem::path file;
    std::vector<std::string> dropped;  ///< panel paths the cut does not use
    std::vector<std::string> notes;    ///< gaps filled, and similar
};

/// Re-times and re-orders the panels of `sequences` (indices into project.sequences; all of
/// them for a project-level cut) to `cut`. Problems (unknown or ambiguous panel, a panel
/// used twice, overlapping events, a split shot) are added to `diagnostics` with the
/// event's file:line, and the project is then left as it was.
CutApplication apply_editorial_cut(Project& project, const std::vector<std::size_t>& sequences,
                                   const EditorialCut& cut, Diagnostics& diagnostics);

/// Reads and applies every `cut:` of the project (project level, then sequence level),
/// logging what each dropped. Called after loading, before planning.
void apply_project_cuts(Project& project, Diagnostics& diagnostics);

}  // namespace storyreel
