#include "stages/burnin_render.h"

#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "pipeline/diagnostics.h"

namespace storyreel {

int text_width(const std::string& text, int size, const std::string& font) {
    const OIIO::ROI roi = OIIO::ImageBufAlgo::text_size(text, size, font);
    return roi.defined() ? roi.width() : 0;
}

std::string wrap_text(const std::string& text, int size, const std::string& font, int max_width) {
    std::istringstream lines(text);
    std::string line, result;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string word, current;
        while (words >> word) {
            const std::string candidate = current.empty() ? word : current + " " + word;
            if (!current.empty() && text_width(candidate, size, font) > max_width) {
                result += current + "\n";
                current = word;
            } else {
                current = candidate;
            }
        }
        result += current + "\n";
    }
    while (!result.empty() && result.back() == '\n') result.pop_back();
    return result;
}

namespace {

int slot_max_width(SlotColumn column, int frame_width, int margin) {
    return column == SlotColumn::Centre ? frame_width * 6 / 10 : frame_width / 3 - margin;
}

}  // namespace

OIIO::ROI TextPatch::region() const {
    if (!rgba) return {};
    return OIIO::ROI(x, x + rgba->spec().width, y, y + rgba->spec().height, 0, 1, 0, 3);
}

TextPatch render_text_patch(const std::string& raw, const BurnInSlot& slot,
                            const BurnInStyle& style, int frame_width, int frame_height) {
    TextPatch patch;
    const int size = std::max(6, static_cast<int>(std::lround(style.size * frame_height)));
    const int margin = static_cast<int>(std::lround(style.margin * frame_height));
    const std::string text =
        wrap_text(raw, size, style.font, slot_max_width(slot.column, frame_width, margin));
    if (text.empty()) return patch;
    const OIIO::ROI extent = OIIO::ImageBufAlgo::text_size(text, size, style.font);
    if (!extent.defined())
        throw BuildError({{style.font, 0, 0},
                          "burn-in " + slot.name,
                          "cannot render text with this font",
                          "name a TrueType font file (default DejaVuSans from fonts-dejavu-core)"});
    const int pad = std::max(2, size / 4);
    const int width = std::min(frame_width, extent.width() + 2 * pad);
    const int height = std::min(frame_height, extent.height() + 2 * pad);
    auto rgba =
        std::make_shared<OIIO::ImageBuf>(OIIO::ImageSpec(width, height, 4, OIIO::TypeDesc::FLOAT));
    const float a = style.box_opacity;
    const float box[4] = {style.box_colour[0] * a, style.box_colour[1] * a, style.box_colour[2] * a,
                          a};
    OIIO::ImageBufAlgo::fill(*rgba, box);
    const float colour[4] = {style.text_colour[0], style.text_colour[1], style.text_colour[2], 1.f};
    OIIO::ImageBufAlgo::render_text(*rgba, pad - extent.xbegin, pad - extent.ybegin, text, size,
                                    style.font, colour);
    patch.rgba = std::move(rgba);
    patch.x = slot.column == SlotColumn::Left     ? margin
              : slot.column == SlotColumn::Centre ? (frame_width - width) / 2
                                                  : frame_width - margin - width;
    patch.y = slot.row == SlotRow::Top ? margin : frame_height - margin - height;
    patch.x = std::clamp(patch.x, 0, frame_width - width);
    patch.y = std::clamp(patch.y, 0, frame_height - height);
    return patch;
}

void composite(const TextPatch& patch, OIIO::ImageBuf& frame) {
    if (!patch.rgba) return;
    const int width = patch.rgba->spec().width;
    const int height = patch.rgba->spec().height;
    for (int row = 0; row < height; ++row) {
        const auto* over = static_cast<const float*>(patch.rgba->localpixels()) +
                           static_cast<std::size_t>(row) * width * 4;
        auto* under = static_cast<std::uint16_t*>(frame.pixeladdr(patch.x, patch.y + row));
        for (int x = 0; x < width; ++x, over += 4, under += 3) {
            const float keep = 1.f - over[3];
            for (int c = 0; c < 3; ++c) {
                const float value = over[c] * 65535.f + under[c] * keep;
                under[c] = static_cast<std::uint16_t>(std::clamp(value + 0.5f, 0.f, 65535.f));
            }
        }
    }
}

void copy_region(const OIIO::ImageBuf& from, OIIO::ImageBuf& to, const OIIO::ROI& region) {
    const std::size_t bytes = static_cast<std::size_t>(region.width()) * 3 * sizeof(std::uint16_t);
    for (int y = region.ybegin; y < region.yend; ++y)
        std::memcpy(to.pixeladdr(region.xbegin, y), from.pixeladdr(region.xbegin, y), bytes);
}

PanelBurnIns::PanelBurnIns(std::shared_ptr<const BurnInSpec> spec, const ShowSettings& show,
                           PanelPlace place)
    : spec_(std::move(spec)), show_(show), place_(place) {
    for (const auto& slot : spec_->slots)
        if (!slot.per_frame)
            fixed_.push_back(render_text_patch(expand_slot(slot, spec_->values, show_, place_, 0),
                                               slot, spec_->style, show_.width, show_.height));
}

void PanelBurnIns::draw_static(OIIO::ImageBuf& frame) const {
    for (const auto& patch : fixed_) composite(patch, frame);
}

std::vector<OIIO::ROI> PanelBurnIns::draw_frame(OIIO::ImageBuf& image, std::int64_t frame) const {
    std::vector<OIIO::ROI> drawn;
    for (const auto& slot : spec_->slots) {
        if (!slot.per_frame) continue;
        const TextPatch patch =
            render_text_patch(expand_slot(slot, spec_->values, show_, place_, frame), slot,
                              spec_->style, show_.width, show_.height);
        composite(patch, image);
        if (patch.rgba) drawn.push_back(patch.region());
    }
    return drawn;
}

std::string PanelBurnIns::fingerprint() const {
    std::string text;
    for (const auto& slot : spec_->slots)
        text += slot.name + "=\"" + expand_slot(slot, spec_->values, show_, place_, 0) + "\" ";
    if (per_frame())
        text += "cut_frame=" + std::to_string(place_.slot->cut_start_frame) +
                " shot_offset=" + std::to_string(place_.shot_offset) +
                " record=" + place_.record_start.to_string() +
                " first=" + std::to_string(spec_->values.first_frame);
    return text;
}

}  // namespace storyreel
