#pragma once
// Flattens a board's layers over white into one PNG kept in the artifact cache, keyed by
// the layers' content and opacities: a rebuild finds the same file (so the shot cache
// still hits) and an edited layer makes a new one.

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/artifact_cache.h"
#include "sources/storyboarder_board_image.h"

namespace storyreel::sources {

class BoardCompositor {
  public:
    explicit BoardCompositor(const std::filesystem::path& cache_dir);

    /// The flattened board (RGB, 8-bit PNG). A board without layers is white at
    /// `blank_width` x `blank_height`. Throws std::runtime_error naming the layer file
    /// that cannot be read.
    std::filesystem::path composite(const std::vector<LayerImage>& layers, int blank_width,
                                    int blank_height);

  private:
    ArtifactCache cache_;
};

/// Opens an image's header; returns an error message, empty when it is readable.
std::string unreadable_image(const std::filesystem::path& file);

}  // namespace storyreel::sources
