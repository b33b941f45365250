#pragma once
// The transitions of one output unit as its movie shows them, for the cut lists: the
// dissolves and dips to black between panels (pipeline/look.h), fades from black into a
// movie's first panel and to black at its end (where the cut's transition crosses the
// movie's edge), and panels' fades out. Mirrors what stages/panel_framer renders.

#include <vector>

#include "editorial/cut_list_timeline.h"

namespace storyreel {

/// In record order; clip indices count the unit's slots.
std::vector<CutListTransition> cut_list_transitions(const Project& project, const CutPlan& plan,
                                                    const OutputUnit& unit);

}  // namespace storyreel
