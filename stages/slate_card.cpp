#include "stages/slate_card.h"

#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "pipeline/diagnostics.h"
#include "stages/burnin_render.h"

namespace storyreel {

namespace {

/// One line of text as drawn: its column and its baseline row (in text lines).
struct PlacedText {
    std::string text;
    bool is_label = false;
    int row = 0;
};

/// Labels and (wrapped) values, row by row.
std::vector<PlacedText> lay_out(const std::vector<SlateLine>& lines, int size,
                                const std::string& font, int value_width) {
    std::vector<PlacedText> placed;
    int row = 0;
    for (const auto& line : lines) {
        placed.push_back({line.label, true, row});
        std::istringstream wrapped(wrap_text(line.value, size, font, value_width));
        std::string part;
        while (std::getline(wrapped, part)) placed.push_back({part, false, row++});
    }
    return placed;
}

}  // namespace

OIIO::ImageBuf render_slate_card(const SlateSpec& spec, const std::vector<SlateLine>& lines,
                                 int width, int height) {
    OIIO::ImageBuf card(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT16));
    const float background[3] = {spec.background[0], spec.background[1], spec.background[2]};
    OIIO::ImageBufAlgo::fill(card, background);
    const int size = std::max(6, static_cast<int>(std::lround(spec.size * height)));
    const OIIO::ROI probe = OIIO::ImageBufAlgo::text_size("SHOW", size, spec.font);
    if (!probe.defined())
        throw BuildError({{spec.font, 0, 0},
                          "slate",
                          "cannot render text with this font",
                          "name a TrueType font file (default DejaVuSans from fonts-dejavu-core)"});
    int label_width = 0;
    for (const auto& line : lines)
        label_width = std::max(label_width, text_width(line.label, size, spec.font));
    const int left = width / 12;
    const int value_x = left + label_width + size;
    const auto placed = lay_out(lines, size, spec.font, std::max(size, width - value_x - left));
    const int line_height = size * 3 / 2;
    const int rows = placed.empty() ? 0 : placed.back().row + 1;
    const int top = std::max(size, (height - rows * line_height) / 2) + size;  // first baseline
    const float colour[3] = {spec.text_colour[0], spec.text_colour[1], spec.text_colour[2]};
    for (const auto& text : placed) {
        if (text.text.empty()) continue;
        const int x = text.is_label ? left : value_x;
        OIIO::ImageBufAlgo::render_text(card, x, top + text.row * line_height, text.text, size,
                                        spec.font, colour);
    }
    return card;
}

}  // namespace storyreel
