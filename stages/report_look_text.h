#pragma once
// A panel's camera move and transition in a few words, for the review page's cards.

#include <string>

#include "pipeline/look.h"

namespace storyreel {

/// "" for a held still; else e.g. "zoom 1.00 -> 1.50, pan, rotate" (first to last key).
std::string camera_move_text(const CameraMove& camera);

/// "" for a cut; else "dissolve 12 fr" or "fade 8 fr".
std::string transition_text(const Transition& transition);

}  // namespace storyreel
