#include "demo/board_drawing.h"

#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "demo/demo_random.h"
#include "demo/sketch_canvas.h"

namespace storyreel::demo {

namespace {

constexpr Rgb kInk{0.12f, 0.12f, 0.15f};
constexpr Rgb kPencil{0.42f, 0.42f, 0.46f};

/// The inside of the drawn frame border, in pixels.
struct FrameArea {
    int x0, y0, x1, y1;

    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
    int x_at(float fraction) const {
        return x0 + static_cast<int>(fraction * static_cast<float>(width()));
    }
    int y_at(float fraction) const {
        return y0 + static_cast<int>(fraction * static_cast<float>(height()));
    }
};

int scaled(int size, float fraction) {
    return static_cast<int>(std::lround(static_cast<float>(size) * fraction));
}

/// Off-white, slightly warm paper; a little different on every board.
Rgb paper_colour(DemoRandom& random) {
    const float base = random.between(0.93f, 0.99f);
    return {base, base * 0.992f, base * 0.965f};
}

void sketch_stick_figure(SketchCanvas& canvas, int feet_x, int feet_y, int height,
                         DemoRandom& random) {
    const int head = std::max(3, height / 8);
    const int neck_y = feet_y - height + 2 * head;
    const int hips_y = feet_y - height * 45 / 100;
    const int shoulders_y = neck_y + height / 10;
    canvas.circle(feet_x, feet_y - height + head, head, kInk);
    canvas.line(feet_x, neck_y, feet_x, hips_y, kInk);
    const int reach = height / 4;
    canvas.line(feet_x, shoulders_y, feet_x - reach, shoulders_y + random.between(-reach, reach),
                kInk);
    canvas.line(feet_x, shoulders_y, feet_x + reach, shoulders_y + random.between(-reach, reach),
                kInk);
    const int stride = random.between(height / 10, height / 5);
    canvas.line(feet_x, hips_y, feet_x - stride, feet_y, kInk);
    canvas.line(feet_x, hips_y, feet_x + stride, feet_y, kInk);
}

void sketch_building(SketchCanvas& canvas, const FrameArea& frame, int horizon, bool left,
                     DemoRandom& random) {
    const int width = scaled(frame.width(), random.between(0.06f, 0.13f));
    const int height = scaled(frame.height(), random.between(0.12f, 0.28f));
    const int x0 = frame.x_at(left ? random.between(0.03f, 0.25f) : random.between(0.62f, 0.84f));
    canvas.outline_rect(x0, horizon - height, x0 + width, horizon, kInk, canvas.pen_width());
    const int window = std::max(4, width / 5);
    for (int row = 0; row < 3; ++row) {
        const int y = horizon - height + window / 2 + row * window * 3 / 2;
        if (y + window > horizon - window / 2) break;
        canvas.outline_rect(x0 + window / 2, y, x0 + window * 3 / 2, y + window, kPencil,
                            canvas.pen_width());
        canvas.outline_rect(x0 + width - window * 3 / 2, y, x0 + width - window / 2, y + window,
                            kPencil, canvas.pen_width());
    }
}

/// Horizon, a road running to a vanishing point, buildings, the sun, people, grass.
void sketch_scene(SketchCanvas& canvas, const FrameArea& frame, DemoRandom& random) {
    const int horizon = frame.y_at(random.between(0.55f, 0.68f));
    canvas.line(frame.x0, horizon, frame.x1 - 1, horizon, kInk);

    const int vanishing_x = frame.x_at(random.between(0.4f, 0.6f));
    for (int side : {-1, 1}) {
        const int spread = scaled(frame.width(), random.between(0.12f, 0.35f));
        canvas.line(vanishing_x, horizon, vanishing_x + side * spread, frame.y1 - 1, kPencil);
    }

    const bool buildings_left = random.chance(0.5f);
    const int buildings = random.between(1, 3);
    for (int i = 0; i < buildings; ++i)
        sketch_building(canvas, frame, horizon, buildings_left, random);

    const int sun_radius =
        scaled(std::min(frame.width(), frame.height()), random.between(0.04f, 0.07f));
    const float sun_x = buildings_left ? random.between(0.75f, 0.9f) : random.between(0.1f, 0.25f);
    canvas.circle(frame.x_at(sun_x), frame.y_at(random.between(0.3f, 0.4f)), sun_radius, kPencil);

    const int figures = random.between(1, 2);
    for (int i = 0; i < figures; ++i) {
        const float x =
            (i == 0) == buildings_left ? random.between(0.7f, 0.88f) : random.between(0.12f, 0.3f);
        const int feet_y = horizon + scaled(frame.height(), random.between(0.05f, 0.22f));
        const int height = scaled(frame.height(), random.between(0.25f, 0.38f));
        sketch_stick_figure(canvas, frame.x_at(x), std::min(feet_y, frame.y1 - 4), height, random);
    }

    const int tufts = random.between(6, 12);
    const int tuft_length = std::max(4, frame.width() / 60);
    for (int i = 0; i < tufts; ++i) {
        const int x = frame.x_at(random.between(0.02f, 0.95f));
        const int y = horizon + scaled(frame.height(), random.between(0.04f, 0.3f));
        if (y + tuft_length >= frame.y1) continue;
        canvas.line(x, y + tuft_length, x + tuft_length / 2, y, kPencil);
    }
}

/// The identifying block, drawn over the sketch so its middle is one flat colour.
void draw_colour_block(SketchCanvas& canvas, const Rgb& colour) {
    const int block_width = scaled(canvas.width(), kBoardBlockFraction);
    const int block_height = scaled(canvas.height(), kBoardBlockFraction);
    const int x0 = (canvas.width() - block_width) / 2;
    const int y0 = (canvas.height() - block_height) / 2;
    const int pen = canvas.pen_width();
    canvas.fill_rect(x0, y0, x0 + block_width, y0 + block_height, colour);
    canvas.outline_rect(x0 - pen, y0 - pen, x0 + block_width + pen, y0 + block_height + pen, kInk,
                        pen);
}

void draw_label(SketchCanvas& canvas, const FrameArea& frame, const std::string& label) {
    const int block_top = (canvas.height() - scaled(canvas.height(), kBoardBlockFraction)) / 2;
    const int size = canvas.fitting_font_size(label, scaled(canvas.height(), 0.09f),
                                              scaled(frame.width(), 0.86f));
    canvas.centred_text(canvas.width() / 2, (frame.y0 + block_top) / 2, label, size, kInk);
}

/// A dialogue strip across the bottom of the frame, as on a storyboard sheet.
void draw_caption(SketchCanvas& canvas, const FrameArea& frame, const Rgb& paper,
                  const std::string& caption) {
    const int strip_top = frame.y_at(0.86f);
    canvas.fill_rect(frame.x0, strip_top, frame.x1, frame.y1, paper);
    canvas.line(frame.x0, strip_top, frame.x1 - 1, strip_top, kInk);
    const int size = canvas.fitting_font_size(caption, scaled(frame.height(), 0.06f),
                                              scaled(frame.width(), 0.9f));
    canvas.centred_text(canvas.width() / 2, (strip_top + frame.y1) / 2, caption, size, kInk);
}

/// Sets alpha to 0 in the outer half of the margin and 0.5 in its inner half, then
/// premultiplies.
void make_margin_transparent(OIIO::ImageBuf& image, int margin) {
    const OIIO::ROI whole = image.roi();
    const auto set_alpha_outside = [&](int inset, float alpha) {
        // Only the alpha channel is in the ROI. OIIO 2.4's fill() then reads values[0] (not
        // values[3]); giving alpha in every slot is right whichever way it indexes.
        const float values[4] = {alpha, alpha, alpha, alpha};
        const OIIO::ROI inner(whole.xbegin + inset, whole.xend - inset, whole.ybegin + inset,
                              whole.yend - inset);
        const OIIO::ROI bands[4] = {
            {whole.xbegin, whole.xend, whole.ybegin, inner.ybegin, 0, 1, 3, 4},
            {whole.xbegin, whole.xend, inner.yend, whole.yend, 0, 1, 3, 4},
            {whole.xbegin, inner.xbegin, inner.ybegin, inner.yend, 0, 1, 3, 4},
            {inner.xend, whole.xend, inner.ybegin, inner.yend, 0, 1, 3, 4}};
        for (const OIIO::ROI& band : bands)
            if (!OIIO::ImageBufAlgo::fill(image, values, band, 1))
                throw std::runtime_error("drawing a board: setting alpha failed: " +
                                         image.geterror());
    };
    set_alpha_outside(margin, 0.5f);
    set_alpha_outside(margin / 2, 0.f);
    if (!OIIO::ImageBufAlgo::premult(image, image, {}, 1))
        throw std::runtime_error("drawing a board: premult failed: " + image.geterror());
}

}  // namespace

OIIO::ImageBuf draw_board(const BoardContent& content, const BoardCanvasSpec& canvas_spec) {
    if (canvas_spec.width < 64 || canvas_spec.height < 64)
        throw std::invalid_argument("draw_board: a board must be at least 64x64 pixels, got " +
                                    std::to_string(canvas_spec.width) + "x" +
                                    std::to_string(canvas_spec.height));
    const int channels = canvas_spec.transparent_margin ? 4 : 3;
    OIIO::ImageSpec spec(canvas_spec.width, canvas_spec.height, channels, canvas_spec.pixel_type);
    // Not zeroed: the paper fill below covers every pixel.
    OIIO::ImageBuf image(spec, OIIO::InitializePixels::No);
    const int short_side = std::min(canvas_spec.width, canvas_spec.height);
    SketchCanvas canvas(image, std::max(2, short_side / 360));
    DemoRandom random(content.sketch_seed);

    const Rgb paper = paper_colour(random);
    canvas.fill_rect(0, 0, canvas.width(), canvas.height(), paper);
    const int margin = std::max(4, scaled(short_side, 0.035f));
    const int border = std::max(3, short_side / 180);
    canvas.outline_rect(margin, margin, canvas.width() - margin, canvas.height() - margin, kInk,
                        border);
    const FrameArea frame{margin + border, margin + border, canvas.width() - margin - border,
                          canvas.height() - margin - border};

    sketch_scene(canvas, frame, random);
    draw_colour_block(canvas, content.block_colour);
    draw_label(canvas, frame, content.label);
    if (!content.caption.empty()) draw_caption(canvas, frame, paper, content.caption);
    if (canvas_spec.transparent_margin) make_margin_transparent(image, margin);
    return image;
}

}  // namespace storyreel::demo
