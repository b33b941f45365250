#include "stages/conform_stage.h"

#include <OpenImageIO/imagebuf.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "media/av_handles.h"
#include "pipeline/board_signature.h"
#include "pipeline/yaml_fields.h"
#include "stages/board_thumbnail.h"
#include "stages/image_value.h"

namespace storyreel {

namespace {

av::FramePtr padded_rgb48_frame(int width, int height, const PanelSlot& slot) {
    auto frame = av::make_frame();
    frame->format = AV_PIX_FMT_RGB48;
    frame->width = width;
    frame->height = height;
    av::check(av_frame_get_buffer(frame.get(), 0),
              "allocating a frame to resize panel " + slot.name(), slot.panel->where.file);
    std::memset(frame->buf[0]->data, 0, frame->buf[0]->size);  // padding too: swscale reads it
    return frame;
}

void copy_rows(const uint8_t* from, std::size_t from_stride, uint8_t* to, std::size_t to_stride,
               std::size_t row_bytes, int rows) {
    for (int y = 0; y < rows; ++y)
        std::memcpy(to + y * to_stride, from + y * from_stride, row_bytes);
}

/// swscale filter for a filter name; 0 when unknown.
int sws_flags_for(const std::string& name) {
    if (name == "lanczos" || name == "lanczos3") return SWS_LANCZOS;
    if (name == "bicubic") return SWS_BICUBIC;
    if (name == "spline") return SWS_SPLINE;
    if (name == "bilinear") return SWS_BILINEAR;
    if (name == "area") return SWS_AREA;
    return 0;
}

enum class FitMode { Letterbox, Fill };

class ConformStage : public PanelStage {
  public:
    ConformStage(int width, int height, std::array<float, 3> background, FitMode mode,
                 std::string filter, BoardSignatureStore* signatures)
        : width_(width),
          height_(height),
          background_(background),
          mode_(mode),
          filter_(std::move(filter)),
          signatures_(signatures) {}

    std::any process(const PanelSlot& slot, const std::any& input) override {
        const ImageValue& value = std::any_cast<const ImageValue&>(input);
        const auto& board = *value;
        // The production checks' signature, from the board this build read anyway.
        if (signatures_) signatures_->record(slot.panel->board, board_signature_of_image(board));
        if (is_conformed(board)) return value;  // already the frame: shared, not copied
        const OIIO::ROI source = board.roi();
        const double scale_x = static_cast<double>(width_) / source.width();
        const double scale_y = static_cast<double>(height_) / source.height();
        const double scale =
            mode_ == FitMode::Fill ? std::max(scale_x, scale_y) : std::min(scale_x, scale_y);
        const int scaled_w = std::max(1, static_cast<int>(std::lround(source.width() * scale)));
        const int scaled_h = std::max(1, static_cast<int>(std::lround(source.height() * scale)));

        // 16-bit RGB, origin at 0,0: what swscale and the encoders take.
        OIIO::ImageBuf board16(
            OIIO::ImageSpec(source.width(), source.height(), 3, OIIO::TypeDesc::UINT16),
            OIIO::InitializePixels::No);
        if (!board.get_pixels(source, OIIO::TypeDesc::UINT16, board16.localpixels()))
            throw BuildError({slot.panel->where,
                              "panel " + slot.name(),
                              "cannot convert board: " + board.geterror(),
                              {}});
        OIIO::ImageBuf scaled = resize_rgb48(slot, board16, scaled_w, scaled_h);
        if (scaled_w == width_ && scaled_h == height_)
            return ImageValue(std::make_shared<OIIO::ImageBuf>(std::move(scaled)));

        auto canvas = std::make_shared<OIIO::ImageBuf>(
            OIIO::ImageSpec(width_, height_, 3, OIIO::TypeDesc::UINT16),
            OIIO::InitializePixels::No);
        fill_background(*canvas);
        // Centre the scaled board; with fill, its overflow falls outside the canvas.
        const int x = (width_ - scaled_w) / 2;
        const int y = (height_ - scaled_h) / 2;
        const int from_x = std::max(0, -x);
        const int from_y = std::max(0, -y);
        const int copy_w = std::min(scaled_w - from_x, width_ - std::max(0, x));
        const int copy_h = std::min(scaled_h - from_y, height_ - std::max(0, y));
        const std::size_t pixel = 3 * sizeof(std::uint16_t);
        for (int row = 0; row < copy_h; ++row) {
            const auto* from = static_cast<const char*>(scaled.pixeladdr(from_x, from_y + row));
            auto* to = static_cast<char*>(canvas->pixeladdr(std::max(0, x), std::max(0, y) + row));
            std::memcpy(to, from, static_cast<std::size_t>(copy_w) * pixel);
        }
        return ImageValue(std::move(canvas));
    }

  private:
    /// True when `board` is already a frame: UINT16 RGB at the show's size, origin 0,0.
    bool is_conformed(const OIIO::ImageBuf& board) const {
        const OIIO::ImageSpec& spec = board.spec();
        return spec.format == OIIO::TypeDesc::UINT16 && spec.nchannels == 3 && spec.x == 0 &&
               spec.y == 0 && spec.width == width_ && spec.height == height_ &&
               board.localpixels() != nullptr;
    }

    /// Lanczos (or the chosen filter) resize with swscale: fast and high quality.
    OIIO::ImageBuf resize_rgb48(const PanelSlot& slot, const OIIO::ImageBuf& image, int width,
                                int height) const {
        const int in_w = image.spec().width;
        const int in_h = image.spec().height;
        if (in_w == width && in_h == height) return image;
        av::SwsPtr scaler(sws_getContext(in_w, in_h, AV_PIX_FMT_RGB48, width, height,
                                         AV_PIX_FMT_RGB48, sws_flags_ | SWS_ACCURATE_RND, nullptr,
                                         nullptr, nullptr));
        if (!scaler)
            throw BuildError({slot.panel->where,
                              "panel " + slot.name(),
                              "cannot set up the resize (swscale)",
                              {}});
        // swscale reads (and may write) a little past the end of a picture's rows, so it
        // gets padded libav frames: an OIIO buffer of exact size made the bottom-right
        // pixels depend on whatever followed it in memory (and the cache keys lie).
        auto in = padded_rgb48_frame(in_w, in_h, slot);
        auto out = padded_rgb48_frame(width, height, slot);
        copy_rows(static_cast<const uint8_t*>(image.localpixels()), image.spec().scanline_bytes(),
                  in->data[0], in->linesize[0], in_w * 6, in_h);
        sws_scale(scaler.get(), in->data, in->linesize, 0, in_h, out->data, out->linesize);
        OIIO::ImageBuf result(OIIO::ImageSpec(width, height, 3, OIIO::TypeDesc::UINT16),
                              OIIO::InitializePixels::No);
        copy_rows(out->data[0], out->linesize[0], static_cast<uint8_t*>(result.localpixels()),
                  result.spec().scanline_bytes(), width * 6, height);
        return result;
    }

    void fill_background(OIIO::ImageBuf& canvas) const {
        std::uint16_t rgb[3];
        for (int c = 0; c < 3; ++c)
            rgb[c] = static_cast<std::uint16_t>(
                std::lround(std::clamp(background_[c], 0.f, 1.f) * 65535.f));
        auto* row = static_cast<std::uint16_t*>(canvas.localpixels());
        for (int x = 0; x < width_; ++x) std::memcpy(row + 3 * x, rgb, sizeof rgb);
        const std::size_t bytes = canvas.spec().scanline_bytes();
        for (int y = 1; y < height_; ++y)
            std::memcpy(static_cast<char*>(canvas.localpixels()) + y * bytes, row, bytes);
    }

    int width_;
    int height_;
    std::array<float, 3> background_;
    FitMode mode_;
    std::string filter_;
    BoardSignatureStore* signatures_;
    int sws_flags_ = sws_flags_for(filter_);
};

std::unique_ptr<Stage> create_conform(const StageParams& params, Diagnostics& diagnostics) {
    FitMode mode = FitMode::Letterbox;
    std::string filter = "lanczos";
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        fields.allow_only({"fit", "filter"});
        const std::size_t before = diagnostics.size();
        if (auto fit = fields.string("fit")) {
            if (*fit == "letterbox" || *fit == "pillarbox")
                mode = FitMode::Letterbox;
            else if (*fit == "fill")
                mode = FitMode::Fill;
            else
                fields.problem("fit", "unknown fit '" + *fit + "'", "use letterbox or fill");
        }
        if (auto name = fields.string("filter")) {
            filter = *name;
            if (sws_flags_for(filter) == 0)
                fields.problem("filter", "unknown filter '" + filter + "'",
                               "use lanczos (default), bicubic, spline, bilinear or area");
        }
        if (diagnostics.size() != before) return nullptr;
    }
    const auto& show = params.project->show;
    return std::make_unique<ConformStage>(
        show.width, show.height, show.background, mode, filter,
        params.environment ? params.environment->board_signatures : nullptr);
}

}  // namespace

StageType conform_stage_type() {
    return {"conform",
            StageShape::Panel,
            {{kImagePort, true}},
            kFramePort,
            "fits boards to the show resolution (letterbox or fill)",
            create_conform};
}

}  // namespace storyreel
