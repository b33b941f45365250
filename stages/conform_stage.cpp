#include "stages/conform_stage.h"

#include <OpenImageIO/filter.h>
#include <OpenImageIO/imagebufalgo.h>

#include <algorithm>
#include <cmath>

#include "pipeline/yaml_fields.h"
#include "stages/image_value.h"

namespace storyreel {

namespace {

enum class FitMode { Letterbox, Fill };

class ConformStage : public PanelStage {
public:
    ConformStage(int width, int height, std::array<float, 3> background, FitMode mode,
                 std::string filter)
        : width_(width), height_(height), background_(background), mode_(mode),
          filter_(std::move(filter)) {}

    std::string fingerprint() const override {
        return "conform v1 " + std::to_string(width_) + "x" + std::to_string(height_) +
               " fit=" + (mode_ == FitMode::Fill ? "fill" : "letterbox") + " filter=" + filter_ +
               " background=" + std::to_string(background_[0]) + "," +
               std::to_string(background_[1]) + "," + std::to_string(background_[2]);
    }

    std::any process(const PanelSlot& slot, const std::any& input) override {
        const auto& board = *std::any_cast<const ImageValue&>(input);
        const OIIO::ROI source = board.roi();
        const double scale_x = static_cast<double>(width_) / source.width();
        const double scale_y = static_cast<double>(height_) / source.height();
        const double scale =
            mode_ == FitMode::Fill ? std::max(scale_x, scale_y) : std::min(scale_x, scale_y);
        const int scaled_w = std::max(1, static_cast<int>(std::lround(source.width() * scale)));
        const int scaled_h = std::max(1, static_cast<int>(std::lround(source.height() * scale)));

        OIIO::ImageBuf scaled;
        const OIIO::ImageBuf* resized = &board;
        if (scaled_w != source.width() || scaled_h != source.height() || source.xbegin != 0 ||
            source.ybegin != 0) {
            if (!OIIO::ImageBufAlgo::resize(scaled, board, filter_, 0.f,
                                            OIIO::ROI(0, scaled_w, 0, scaled_h, 0, 1, 0, 3), 1))
                throw BuildError({slot.panel->where, "panel " + slot.name(),
                                  "cannot resize board: " + scaled.geterror(), {}});
            resized = &scaled;
        }
        OIIO::ImageSpec spec(width_, height_, 3, OIIO::TypeDesc::FLOAT);
        OIIO::ImageBuf canvas(spec);
        OIIO::ImageBufAlgo::fill(canvas, background_.data(), {}, 1);
        // Centre the scaled board; with fill, its overflow falls outside the canvas.
        const int x = (width_ - scaled_w) / 2;
        const int y = (height_ - scaled_h) / 2;
        OIIO::ROI from = resized->roi();
        from.xbegin = std::max(0, -x);
        from.ybegin = std::max(0, -y);
        from.xend = std::min(scaled_w, from.xbegin + width_);
        from.yend = std::min(scaled_h, from.ybegin + height_);
        if (!OIIO::ImageBufAlgo::paste(canvas, std::max(0, x), std::max(0, y), 0, 0, *resized,
                                       from, 1))
            throw BuildError({slot.panel->where, "panel " + slot.name(),
                              "cannot place board: " + canvas.geterror(), {}});
        auto result = std::make_shared<OIIO::ImageBuf>(
            OIIO::ImageSpec(width_, height_, 3, OIIO::TypeDesc::UINT16));
        result->copy_pixels(canvas);
        return ImageValue(std::move(result));
    }

private:
    int width_;
    int height_;
    std::array<float, 3> background_;
    FitMode mode_;
    std::string filter_;
};

bool is_known_filter(const std::string& name) {
    for (int i = 0, n = OIIO::Filter2D::num_filters(); i < n; ++i) {
        OIIO::FilterDesc desc;
        OIIO::Filter2D::get_filterdesc(i, &desc);
        if (name == desc.name) return true;
    }
    return false;
}

std::unique_ptr<Stage> create_conform(const StageParams& params, Diagnostics& diagnostics) {
    FitMode mode = FitMode::Letterbox;
    std::string filter = "lanczos3";
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
            if (!is_known_filter(filter))
                fields.problem("filter", "unknown filter '" + filter + "'",
                               "use an OpenImageIO filter such as lanczos3, blackman-harris, "
                               "catmull-rom, mitchell");
        }
        if (diagnostics.size() != before) return nullptr;
    }
    const auto& show = params.project->show;
    return std::make_unique<ConformStage>(show.width, show.height, show.background, mode, filter);
}

}  // namespace

StageType conform_stage_type() {
    return {"conform",
            StageShape::Panel,
            {{kImagePort, true}},
            kImagePort,
            "fits boards to the show resolution (letterbox or fill)",
            create_conform};
}

}  // namespace storyreel
