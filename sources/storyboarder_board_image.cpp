#include "sources/storyboarder_board_image.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

int order_of(const std::string& layer) {
    const auto* begin = std::begin(kLayerOrder);
    const auto* found = std::find(begin, std::end(kLayerOrder), layer);
    return static_cast<int>(found - begin);  // unknown layers after the known ones
}

bool is_file(const fs::path& file) {
    std::error_code error;
    return fs::is_regular_file(file, error);
}

void report_missing(const StoryboarderScene& scene, const std::string& subject,
                    const std::string& what, const fs::path& file, Diagnostics& diagnostics) {
    diagnostics.add({scene.file.string(), 0, 0}, subject, what + " not found: " + file.string(),
                    "the scene's images/ folder is incomplete: copy the whole scene folder, or "
                    "open and re-save the scene in Storyboarder");
}

/// The layers Storyboarder saved, sorted into drawing order.
std::vector<LayerImage> saved_layers(const StoryboarderScene& scene,
                                     const StoryboarderBoard& board) {
    std::vector<LayerImage> layers;
    for (const auto& layer : board.layers) {
        LayerImage image{layer.name, scene.images / layer.url, 1.f};
        if (layer.name == "reference")
            image.opacity = static_cast<float>(layer.opacity.value_or(kDefaultReferenceOpacity));
        if (order_of(layer.name) == static_cast<int>(std::size(kLayerOrder)))
            spdlog::warn("{}: {}: unknown layer '{}' drawn on top", scene.file.string(),
                         board.label(), layer.name);
        layers.push_back(std::move(image));
    }
    std::stable_sort(layers.begin(), layers.end(), [](const LayerImage& a, const LayerImage& b) {
        return order_of(a.name) < order_of(b.name);
    });
    return layers;
}

/// Before 1.6 the drawing is the board's own image, in the place the fill layer took later.
void add_board_image(const StoryboarderScene& scene, const StoryboarderBoard& board,
                     const std::string& subject, std::vector<LayerImage>& layers,
                     Diagnostics& diagnostics) {
    const fs::path file = scene.images / board.url;
    const bool version_known = !scene.version.empty();
    if (board.url.empty() || (!version_known && !is_file(file))) return;
    if (!is_file(file)) {
        report_missing(scene, subject, "board image", file, diagnostics);
        return;
    }
    auto above = std::find_if(layers.begin(), layers.end(), [](const LayerImage& layer) {
        return order_of(layer.name) > order_of("reference");
    });
    layers.insert(above, LayerImage{"board", file, 1.f});
}

}  // namespace

BoardImage board_image(const StoryboarderScene& scene, const StoryboarderBoard& board,
                       const std::string& subject, Diagnostics& diagnostics) {
    BoardImage image;
    if (!board.link.empty()) {
        const fs::path linked = scene.images / board.link;
        if (is_file(linked)) {
            spdlog::info("{}: {}: using its linked Photoshop file {}", scene.name(), board.label(),
                         linked.filename().string());
            image.flattened = linked;
            return image;
        }
        spdlog::warn(
            "{}: {}: linked Photoshop file {} is missing; using the layers "
            "Storyboarder saved",
            scene.file.string(), board.label(), linked.string());
    }
    image.layers = saved_layers(scene, board);
    for (const auto& layer : image.layers)
        if (!is_file(layer.file))
            report_missing(scene, subject, layer.name + " layer", layer.file, diagnostics);
    if (scene.keeps_drawing_in_board_image())
        add_board_image(scene, board, subject, image.layers, diagnostics);
    return image;
}

}  // namespace storyreel::sources
