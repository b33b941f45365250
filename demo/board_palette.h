#pragma once
// The identifying colours of demo boards.

#include <array>

namespace storyreel::demo {

/// Number of distinct colours before the palette repeats.
inline constexpr int kBoardPaletteSize = 24;

/// The colour of panel `panel_index`'s central block: a saturated sRGB display colour,
/// RGB in 0..1 and exactly representable in 8 bits (each channel is n/255).
///
/// The first kBoardPaletteSize panels all differ, and consecutive panels are always
/// far apart (hue 105 degrees apart, alternating brightness), so a test that samples a
/// movie can tell which panel is on screen even after lossy encoding.
std::array<float, 3> board_block_colour(int panel_index);

}  // namespace storyreel::demo
