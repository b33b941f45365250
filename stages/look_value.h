#pragma once
// What the "frame" port carries once a burn-ins stage has run: the clean conformed
// picture and the burn-ins to lay over each of the panel's frames. Output stages render
// camera moves and transitions from the clean picture first, then the burn-ins.

#include <any>
#include <memory>

#include "stages/burnin_render.h"
#include "stages/image_value.h"

namespace storyreel {

struct LookedFrame {
    ImageValue picture;                           ///< conformed, UINT16 RGB; null if not needed
    std::shared_ptr<const PanelBurnIns> burnins;  ///< null without a burn-ins stage
};

/// Reads a "frame" port value: a plain ImageValue (straight from conform), a LookedFrame,
/// or nothing (panels no output needed the pixels of).
inline LookedFrame looked_frame_of(const std::any& value) {
    if (const auto* looked = std::any_cast<LookedFrame>(&value)) return *looked;
    if (const auto* image = std::any_cast<ImageValue>(&value)) return {*image, nullptr};
    return {};
}

}  // namespace storyreel
