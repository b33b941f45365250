#pragma once
// Draws the slate card: its lines (label, value) in two aligned columns on a plain
// background, with OpenImageIO's render_text and a DejaVu (or given) TrueType font.

#include <OpenImageIO/imagebuf.h>

#include <vector>

#include "stages/slate_spec.h"

namespace storyreel {

/// The card at `width` x `height`, UINT16 RGB like conformed frames. Values too wide for
/// the frame (long notes) wrap. Throws BuildError when the font cannot be used.
OIIO::ImageBuf render_slate_card(const SlateSpec& spec, const std::vector<SlateLine>& lines,
                                 int width, int height);

}  // namespace storyreel
