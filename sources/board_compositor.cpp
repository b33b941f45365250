#include "sources/board_compositor.h"

#include <OpenImageIO/imagebufalgo.h>
#include <OpenImageIO/imageio.h>

#include <stdexcept>

#include "pipeline/content_hash.h"
#include "pipeline/input_limits.h"

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCompositorVersion = "storyboarder-board v1";

[[noreturn]] void fail(const fs::path& file, const std::string& message) {
    throw std::runtime_error(message + ": " + file.string());
}

/// Reads the first subimage as float RGBA (alpha associated, as OIIO reads PNGs).
OIIO::ImageBuf read_rgba(const fs::path& file) {
    auto input = OIIO::ImageInput::open(file.string());
    if (!input) fail(file, "cannot open layer image (" + OIIO::geterror() + ")");
    OIIO::ImageSpec spec = input->spec();
    if (auto problem = board_size_problem(spec.width, spec.height, InputLimits{}); !problem.empty())
        fail(file, "layer " + problem);
    spec.set_format(OIIO::TypeDesc::FLOAT);
    OIIO::ImageBuf source(spec, OIIO::InitializePixels::No);
    if (!input->read_image(0, 0, 0, spec.nchannels, OIIO::TypeDesc::FLOAT, source.localpixels()))
        fail(file, "cannot read layer image, corrupt or truncated? (" + input->geterror() + ")");
    const int channels = spec.nchannels;
    const int alpha = spec.alpha_channel;
    std::vector<int> order;
    if (channels == 1 || (channels == 2 && alpha == 1))
        order = {0, 0, 0, channels == 2 ? 1 : -1};
    else if (channels >= 3)
        order = {0, 1, 2, alpha >= 0 ? alpha : (channels >= 4 ? 3 : -1)};
    else
        fail(file, "unsupported channel layout in layer image");
    OIIO::ImageBuf rgba;
    const std::vector<float> fill{0, 0, 0, 1};
    if (!OIIO::ImageBufAlgo::channels(rgba, source, 4, order, fill, {}, false, 1))
        fail(file, "cannot read the layer's channels (" + rgba.geterror() + ")");
    return rgba;
}

OIIO::ImageBuf white_canvas(int width, int height) {
    OIIO::ImageBuf canvas(OIIO::ImageSpec(width, height, 4, OIIO::TypeDesc::FLOAT));
    const float white[4] = {1.f, 1.f, 1.f, 1.f};
    OIIO::ImageBufAlgo::fill(canvas, white, {}, 1);
    return canvas;
}

OIIO::ImageBuf flatten(const std::vector<LayerImage>& layers, int blank_width, int blank_height) {
    std::vector<OIIO::ImageBuf> images;
    int width = 0, height = 0;
    for (const auto& layer : layers) {
        images.push_back(read_rgba(layer.file));
        width = std::max(width, images.back().spec().width);
        height = std::max(height, images.back().spec().height);
    }
    OIIO::ImageBuf canvas =
        images.empty() ? white_canvas(blank_width, blank_height) : white_canvas(width, height);
    for (std::size_t i = 0; i < images.size(); ++i) {
        const float opacity = layers[i].opacity;
        if (opacity < 1.f) {  // associated alpha: scale every channel
            const float scale[4] = {opacity, opacity, opacity, opacity};
            OIIO::ImageBuf faded;
            OIIO::ImageBufAlgo::mul(faded, images[i], scale, {}, 1);
            images[i] = std::move(faded);
        }
        OIIO::ImageBuf over;
        if (!OIIO::ImageBufAlgo::over(over, images[i], canvas, canvas.roi(), 1))
            fail(layers[i].file, "cannot composite layer (" + over.geterror() + ")");
        canvas = std::move(over);
    }
    OIIO::ImageBuf rgb;
    OIIO::ImageBufAlgo::channels(rgb, canvas, 3, {}, {}, {}, false, 1);
    return rgb;
}

std::string composite_key(const std::vector<LayerImage>& layers, int blank_width,
                          int blank_height) {
    ContentHasher hasher;
    hasher.add(kCompositorVersion);
    if (layers.empty()) hasher.add(blank_width).add(blank_height);
    for (const auto& layer : layers)
        hasher.add(hash_file(layer.file)).add(static_cast<long long>(layer.opacity * 1e6f));
    return hasher.digest().substr(7);  // drop "xxh128:"
}

}  // namespace

BoardCompositor::BoardCompositor(const fs::path& cache_dir) : cache_(cache_dir) {}

fs::path BoardCompositor::composite(const std::vector<LayerImage>& layers, int blank_width,
                                    int blank_height) {
    const std::string key = composite_key(layers, blank_width, blank_height);
    if (auto found = cache_.find(key)) return *found;
    const PendingEntry entry = cache_.begin(key, "board.png");
    try {
        OIIO::ImageBuf flat = flatten(layers, blank_width, blank_height);
        flat.set_write_format(OIIO::TypeDesc::UINT8);
        if (!flat.write(entry.artifact.string(), OIIO::TypeDesc::UNKNOWN, "png"))
            throw std::runtime_error("cannot write the flattened board " + entry.artifact.string() +
                                     ": " + flat.geterror());
        return cache_.publish(entry);
    } catch (...) {
        cache_.discard(entry);
        throw;
    }
}

std::string unreadable_image(const fs::path& file) {
    auto input = OIIO::ImageInput::open(file.string());
    if (!input) return OIIO::geterror();
    return {};
}

}  // namespace storyreel::sources
