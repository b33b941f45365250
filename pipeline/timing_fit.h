#pragma once
// Dividing a run of frames between panels: proportional to their holds, within each
// panel's minimum and maximum, rounded to whole frames by largest remainder so the parts
// always add up to exactly the total.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace storyreel {

struct FitPanel {
    double weight = 1;            ///< relative duration (> 0), e.g. the panel's own hold
    std::int64_t min_frames = 1;  ///< >= 1
    std::int64_t max_frames = 0;  ///< 0: no maximum
};

/// Whole-frame holds summing to exactly `total_frames`, each within its panel's
/// [min, max], as close to proportional as the limits allow. nullopt when the limits make
/// it impossible; `why` then says what (e.g. "the 5 panels need at least 60 frames, the
/// audio gives 48").
std::optional<std::vector<std::int64_t>> fit_frames(const std::vector<FitPanel>& panels,
                                                    std::int64_t total_frames, std::string& why);

}  // namespace storyreel
