#pragma once
// slate: an optional card before each movie's first frame (show, sequence, version, date,
// duration, start timecode, notes), configured in the pipeline and given to the encode
// stages that name it in their `needs`.
//
// The slate is pre-roll, as editors expect: the cut's first frame keeps its record
// timecode (01:00:00:00 by default), the movie starts the slate's length earlier
// (00:59:58:00 for 48 frames at 24 fps) with silence under the card, and every cut list
// still lines up with the movie by timecode. The movie is the slate's length longer than
// the cut.

#include <memory>

#include "pipeline/stage_registry.h"
#include "stages/slate_spec.h"

namespace storyreel {

/// Port type of the slate (a cut stage's value).
inline constexpr const char* kSlatePort = "slate";

/// What the slate stage gives output stages.
using SlateValue = std::shared_ptr<const SlateSpec>;

StageType slate_stage_type();

}  // namespace storyreel
