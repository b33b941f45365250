#pragma once
// Drawing burn-ins: a slot's text in its box as a small premultiplied RGBA patch
// (OpenImageIO render_text with a DejaVu font), laid over UINT16 RGB frames.

#include <OpenImageIO/imagebuf.h>

#include <memory>
#include <string>
#include <vector>

#include "stages/burnin_spec.h"

namespace storyreel {

/// Width in pixels of `text` (one line) at `size` pixels in `font`; 0 when nothing renders.
int text_width(const std::string& text, int size, const std::string& font);
/// Greedy word wrap of each line of `text` to `max_width` pixels ('\n' starts a line).
std::string wrap_text(const std::string& text, int size, const std::string& font, int max_width);

/// Text in its box, placed at (x, y) in the frame. Premultiplied float RGBA.
struct TextPatch {
    int x = 0, y = 0;
    std::shared_ptr<OIIO::ImageBuf> rgba;  ///< null when there is no text

    /// The frame region it covers (undefined when empty).
    OIIO::ROI region() const;
};

/// Renders `text` (wrapped to the slot's width; '\n' starts a line) for a frame of the
/// given size. Throws BuildError when the font cannot be used.
TextPatch render_text_patch(const std::string& text, const BurnInSlot& slot,
                            const BurnInStyle& style, int frame_width, int frame_height);

/// Lays `patch` over a UINT16 RGB frame ("over", in display space).
void composite(const TextPatch& patch, OIIO::ImageBuf& frame);

/// Copies `region` of `from` into `to` (same size and format).
void copy_region(const OIIO::ImageBuf& from, OIIO::ImageBuf& to, const OIIO::ROI& region);

/// One panel's burn-ins: slots whose text is fixed for the panel are rendered once when
/// made; per-frame slots (counters, timecode) are rendered for each frame on demand.
class PanelBurnIns {
  public:
    PanelBurnIns(std::shared_ptr<const BurnInSpec> spec, const ShowSettings& show,
                 PanelPlace place);

    bool per_frame() const { return spec_->per_frame(); }
    /// Lays the fixed slots over `frame`.
    void draw_static(OIIO::ImageBuf& frame) const;
    /// Lays the per-frame slots for frame `frame` of the panel over `image`; returns the
    /// regions drawn (to restore before drawing the next frame).
    std::vector<OIIO::ROI> draw_frame(OIIO::ImageBuf& image, std::int64_t frame) const;
    /// The panel's text values (and its place in the cut when counters are shown).
    std::string fingerprint() const;

    const BurnInSpec& spec() const { return *spec_; }

  private:
    std::shared_ptr<const BurnInSpec> spec_;
    ShowSettings show_;
    PanelPlace place_;
    std::vector<TextPatch> fixed_;
};

}  // namespace storyreel
