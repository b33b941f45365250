#pragma once
// Turns the panels an output stage receives (in cut order) into the frames it encodes.
//
// A held still with fixed burn-ins stays one picture with a hold: the fast path, encoded
// once. Only frames that really differ are made one by one, on demand, from the conformed
// panel: camera moves (one resampled frame each), transition frames (mixed with the
// neighbouring panel's clean picture, or black), and per-frame burn-ins (the fixed part
// drawn once; each frame only restores and redraws the changing text's box). At most the
// current panel and the one before it are held in memory.

#include <OpenImageIO/imagebuf.h>

#include <any>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "stages/look_value.h"

namespace storyreel {

/// Receives the frames of panels.
class FrameTarget {
  public:
    virtual ~FrameTarget() = default;
    /// False for panels whose frames are not needed (their shot is reused from the cache).
    virtual bool wants(const PanelSlot& slot) const = 0;
    /// One picture held for `frames` frames.
    virtual void held(const PanelSlot& slot, const OIIO::ImageBuf& picture,
                      std::int64_t frames) = 0;
    /// One frame; `continues` when the frame before it was also given by single().
    virtual void single(const PanelSlot& slot, const OIIO::ImageBuf& picture, bool continues) = 0;
    /// One frame that differs from the one single() or single_changed() gave just before it
    /// (same panel) only inside `changed` (burn-in boxes redrawn), so an output may update
    /// what it made of that frame instead of starting again. By default: single().
    virtual void single_changed(const PanelSlot& slot, const OIIO::ImageBuf& picture,
                                const std::vector<OIIO::ROI>& /*changed*/) {
        single(slot, picture, true);
    }
    /// Every frame of the panel has been given.
    virtual void panel_done(const PanelSlot& slot) = 0;
};

/// The panel before / after `slot` in the same movie, when it is also its neighbour in the
/// cut; transitions to panels outside the movie mix with black.
const PanelSlot* previous_in_unit(const CutPlan& plan, const PanelSlot& slot);
const PanelSlot* next_in_unit(const CutPlan& plan, const PanelSlot& slot);

/// The panel after `slot`'s in the whole cut (selected or not), or null at the end.
const Panel* panel_after(const Project& project, const PanelSlot& slot);

/// Neighbour slots whose clean pictures `slot`'s frames mix with.
std::vector<const PanelSlot*> neighbours_drawn_into(const CutPlan& plan, const PanelSlot& slot);

/// What, beyond its board and the stages' settings, determines the panel's frames: its
/// camera move, transitions and fade, and the boards (and framing) of the neighbours they
/// mix with. Empty for a plain held still. Enters the shot's cache key.
std::string panel_look_fingerprint(const Project& project, const CutPlan& plan,
                                   const PanelSlot& slot,
                                   const std::function<std::string(const Panel&)>& board_hash);

class PanelFramer {
  public:
    PanelFramer(const Project& project, const CutPlan& plan) : project_(project), plan_(plan) {}

    /// Gives `target` the frames of `slot` (and of the panel before it, whose end waited
    /// for this one's picture).
    void push(const PanelSlot& slot, const std::any& value, FrameTarget& target);

    /// True when the panel, whatever its burn-ins, is one held picture here: no camera
    /// move, no transition or fade in its frames.
    bool plain_still(const PanelSlot& slot) const;
    /// The output wrote `slot` itself (a plain still prepared elsewhere).
    void skip(const PanelSlot& slot);

  private:
    struct Current {
        const PanelSlot* slot = nullptr;
        LookedFrame look;
    };
    /// Clean picture (camera applied, no burn-ins) at frame k.
    std::shared_ptr<const OIIO::ImageBuf> clean(const Current& panel, std::int64_t k) const;
    void emit_range(const Current& panel, std::int64_t begin, std::int64_t end,
                    FrameTarget& target);
    void emit_held(const Current& panel, std::int64_t begin, std::int64_t end, FrameTarget& target);
    OIIO::ImageBuf frame_at(const Current& panel, std::int64_t k) const;
    std::int64_t tail_frames(const PanelSlot& slot) const;

    const Project& project_;
    const CutPlan& plan_;
    std::optional<Current> waiting_;  ///< panel whose last frames wait for the next picture
    std::shared_ptr<const OIIO::ImageBuf> previous_last_;  ///< clean last frame of the panel before
    std::shared_ptr<const OIIO::ImageBuf> next_first_;     ///< clean first frame of the next panel
    bool continues_ = false;
};

}  // namespace storyreel
