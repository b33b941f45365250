#pragma once
// Mixing pictures for transitions: dissolves (cross-fades) and fades through black.

#include <OpenImageIO/imagebuf.h>

#include "pipeline/look.h"

namespace storyreel {

/// `a * weight_a + b * weight_b` for UINT16 RGB pictures of one size (null = black).
OIIO::ImageBuf mix_pictures(const OIIO::ImageBuf* a, double weight_a, const OIIO::ImageBuf* b,
                            double weight_b, const OIIO::ImageSpec& spec);

/// Weights of the outgoing (first) and incoming (second) picture at frame `index` of an
/// N-frame transition: a dissolve cross-fades, a fade dips through black at its middle.
std::pair<double, double> transition_weights(TransitionType type, std::int64_t index,
                                             std::int64_t frames);

/// Weight of the picture at frame `index` of an N-frame fade from black: the first frame is
/// black, the mirror of fade_out_weight(), as editors' dissolves from black start.
double fade_in_weight(std::int64_t index, std::int64_t frames);

/// Weight of the picture at frame `index` of an N-frame fade to black (the last is black).
double fade_out_weight(std::int64_t index, std::int64_t frames);

}  // namespace storyreel
