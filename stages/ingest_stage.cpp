#include "stages/ingest_stage.h"

#include <OpenImageIO/imagebufalgo.h>
#include <OpenImageIO/imageio.h>

#include <filesystem>
#include <set>

#include "pipeline/input_limits.h"
#include "pipeline/yaml_fields.h"
#include "stages/image_value.h"

namespace storyreel {

namespace {

bool is_linear(const OIIO::ImageSpec& spec) {
    const std::string space = spec.get_string_attribute("oiio:ColorSpace");
    return OIIO::Strutil::iequals(space, "linear") ||
           OIIO::Strutil::iequals(space, "scene_linear") ||
           OIIO::Strutil::iequals(space, "lin_srgb") || OIIO::Strutil::iequals(space, "lin_rec709");
}

class IngestStage : public PanelStage {
  public:
    IngestStage(std::array<float, 3> background, std::string linear_to, InputLimits limits)
        : background_(background), linear_to_(std::move(linear_to)), limits_(limits) {}

    std::any process(const PanelSlot& slot, const std::any&) override {
        const std::string path = slot.panel->board.string();
        OIIO::ImageBuf source = read_board(slot, path, limits_);
        const OIIO::ImageSpec& spec = source.spec();
        if (spec.nchannels == 3 && spec.alpha_channel < 0 && !is_linear(spec))
            return ImageValue(std::make_shared<OIIO::ImageBuf>(std::move(source)));  // plain RGB
        OIIO::ImageBuf image = to_rgba(slot, source);
        if (is_linear(source.spec())) {
            OIIO::ImageBuf converted;
            if (!OIIO::ImageBufAlgo::colorconvert(converted, image, "linear", linear_to_, true, "",
                                                  "", nullptr, {}, 1))
                fail(slot, "colour conversion failed: " + converted.geterror());
            image = std::move(converted);
        }
        auto result = std::make_shared<OIIO::ImageBuf>(composite(slot, image));
        return ImageValue(std::move(result));
    }

  private:
    [[noreturn]] static void fail(const PanelSlot& slot, const std::string& message) {
        throw BuildError({slot.panel->where, "panel " + slot.name(),
                          message + " (" + slot.panel->board.string() + ")",
                          "re-export the board or fix its path in the project"});
    }

    /// Reads the first subimage (a PSD's composite) without the shared cache: plain
    /// 8/16-bit RGB as UINT16 (exactly what conform and the encoders take, and half the
    /// memory traffic of float), everything else as float for compositing.
    static OIIO::ImageBuf read_board(const PanelSlot& slot, const std::string& path,
                                     const InputLimits& limits) {
        auto input = OIIO::ImageInput::open(path);
        if (!input) fail(slot, "cannot open board image: " + OIIO::geterror());
        OIIO::ImageSpec spec = input->spec();
        // The header says how big the pixels are: refuse before allocating or decoding them.
        if (auto problem = board_size_problem(spec.width, spec.height, limits); !problem.empty())
            fail(slot, problem);
        const bool plain_rgb = spec.nchannels == 3 && spec.alpha_channel < 0 && !is_linear(spec);
        const bool eight_bit = plain_rgb && spec.format == OIIO::TypeDesc::UINT8;
        const OIIO::TypeDesc type = eight_bit ? OIIO::TypeDesc::UINT8
                                    : plain_rgb && spec.format == OIIO::TypeDesc::UINT16
                                        ? OIIO::TypeDesc::UINT16
                                        : OIIO::TypeDesc::FLOAT;
        spec.set_format(type);
        OIIO::ImageBuf buffer(spec, OIIO::InitializePixels::No);
        if (!input->read_image(0, 0, 0, spec.nchannels, type, buffer.localpixels()))
            fail(slot, "cannot read board image (corrupt or truncated?): " + input->geterror());
        input->close();
        return eight_bit ? widened_to_16_bits(buffer) : std::move(buffer);
    }

    /// 8-bit codes to 16-bit ones (v * 257, exact): OIIO converts through float, which
    /// cost four times the PNG decoding itself.
    static OIIO::ImageBuf widened_to_16_bits(const OIIO::ImageBuf& eight) {
        OIIO::ImageSpec spec = eight.spec();
        spec.set_format(OIIO::TypeDesc::UINT16);
        OIIO::ImageBuf wide(spec, OIIO::InitializePixels::No);
        const auto* from = static_cast<const std::uint8_t*>(eight.localpixels());
        auto* to = static_cast<std::uint16_t*>(wide.localpixels());
        const std::size_t count = spec.image_pixels() * static_cast<std::size_t>(spec.nchannels);
        for (std::size_t i = 0; i < count; ++i) to[i] = static_cast<std::uint16_t>(from[i] * 257u);
        return wide;
    }

    /// Any channel layout to RGBA (grey, grey+alpha, RGB, RGBA, more channels).
    static OIIO::ImageBuf to_rgba(const PanelSlot& slot, const OIIO::ImageBuf& source) {
        const int channels = source.nchannels();
        const int alpha = source.spec().alpha_channel;
        std::vector<int> order;
        std::vector<float> values{0, 0, 0, 1};
        if (channels == 1 || (channels == 2 && alpha == 1))
            order = {0, 0, 0, channels == 2 ? 1 : -1};
        else if (channels >= 3)
            order = {0, 1, 2, alpha >= 0 ? alpha : (channels >= 4 ? 3 : -1)};
        else
            fail(slot, "unsupported channel layout (" + std::to_string(channels) + " channels)");
        OIIO::ImageBuf rgba;
        if (!OIIO::ImageBufAlgo::channels(rgba, source, 4, order, values, {}, false, 1))
            fail(slot, "cannot read its channels: " + rgba.geterror());
        return rgba;
    }

    OIIO::ImageBuf composite(const PanelSlot& slot, const OIIO::ImageBuf& rgba) const {
        OIIO::ImageBuf background(rgba.spec());
        const float fill[4] = {background_[0], background_[1], background_[2], 1.f};
        OIIO::ImageBufAlgo::fill(background, fill, {}, 1);
        OIIO::ImageBuf over;
        if (!OIIO::ImageBufAlgo::over(over, rgba, background, {}, 1))
            fail(slot, "cannot composite alpha: " + over.geterror());
        OIIO::ImageBuf rgb;
        if (!OIIO::ImageBufAlgo::channels(rgb, over, 3, {}, {}, {}, false, 1))
            fail(slot, "cannot drop alpha: " + rgb.geterror());
        return rgb;
    }

    std::array<float, 3> background_;
    std::string linear_to_;
    InputLimits limits_;
};

std::unique_ptr<Stage> create_ingest(const StageParams& params, Diagnostics& diagnostics) {
    std::string linear_to = "sRGB";
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        fields.allow_only({"linear_to"});
        if (auto value = fields.string("linear_to")) {
            if (*value != "sRGB" && *value != "Rec709") {
                fields.problem("linear_to", "unknown colour space '" + *value + "'",
                               "use sRGB or Rec709");
                return nullptr;
            }
            linear_to = *value;
        }
    }
    return std::make_unique<IngestStage>(params.project->show.background, linear_to,
                                         params.project->limits);
}

/// At validation: every planned board's header (no pixels decoded) against the board
/// limits, so a board too large is refused with the project's other problems before any
/// work starts. A board that cannot be opened is left to the build, which names it.
void check_board_sizes(const StageParams& params, Diagnostics& diagnostics) {
    std::set<std::filesystem::path> seen;
    for (const PanelSlot& slot : params.plan->slots) {
        const std::filesystem::path& board = slot.panel->board;
        if (!seen.insert(board).second) continue;
        std::error_code missing;
        if (!std::filesystem::is_regular_file(board, missing)) continue;
        auto input = OIIO::ImageInput::open(board.string());
        if (!input) {
            (void)OIIO::geterror();
            continue;
        }
        const OIIO::ImageSpec& spec = input->spec();
        if (auto problem = board_size_problem(spec.width, spec.height, params.project->limits);
            !problem.empty())
            diagnostics.add(
                slot.panel->where, "panel " + slot.name(), problem + " (" + board.string() + ")",
                "scale the board down, or raise the limit under `limits:` in the project");
    }
}

}  // namespace

std::optional<OIIO::ImageBuf> read_plain_8bit_board(const std::filesystem::path& board,
                                                    const InputLimits& limits) {
    auto input = OIIO::ImageInput::open(board.string());
    if (!input) {
        (void)OIIO::geterror();  // the stage reads it again and reports this
        return std::nullopt;
    }
    const OIIO::ImageSpec& spec = input->spec();
    if (spec.nchannels != 3 || spec.alpha_channel >= 0 || is_linear(spec) ||
        spec.format != OIIO::TypeDesc::UINT8 ||
        !board_size_problem(spec.width, spec.height, limits).empty())
        return std::nullopt;
    OIIO::ImageBuf buffer(spec, OIIO::InitializePixels::No);
    if (!input->read_image(0, 0, 0, 3, OIIO::TypeDesc::UINT8, buffer.localpixels())) {
        (void)input->geterror();
        return std::nullopt;
    }
    return buffer;
}

StageType ingest_stage_type() {
    return {"ingest",
            StageShape::Panel,
            {},
            kImagePort,
            "reads board images with OpenImageIO, composites alpha over the background",
            create_ingest,
            check_board_sizes};
}

}  // namespace storyreel
