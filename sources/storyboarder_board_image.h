#pragma once
// Which image files make up a Storyboarder board, bottom to top, with their opacity.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"
#include "sources/storyboarder_scene.h"

namespace storyreel::sources {

/// Storyboarder's drawing order, bottom to top (drawn over white).
inline constexpr const char* kLayerOrder[] = {"shot-generator", "reference", "fill", "tone",
                                              "pencil",         "ink",       "notes"};
/// Opacity of the reference layer when the scene does not say.
inline constexpr float kDefaultReferenceOpacity = 0.75f;

struct LayerImage {
    std::string name;
    std::filesystem::path file;  ///< absolute
    float opacity = 1.f;
};

struct BoardImage {
    std::vector<LayerImage> layers;  ///< bottom to top; composite over white
    /// A finished picture used as it is instead of the layers: a linked Photoshop file,
    /// whose merged composite is the artist's latest drawing.
    std::optional<std::filesystem::path> flattened;
};

/// The board's images in drawing order. Missing files are reported (naming the board and
/// the file); a linked PSD that exists replaces the layers.
BoardImage board_image(const StoryboarderScene& scene, const StoryboarderBoard& board,
                       const std::string& subject, Diagnostics& diagnostics);

}  // namespace storyreel::sources
