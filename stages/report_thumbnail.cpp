#include "stages/report_thumbnail.h"

#include <OpenImageIO/imageio.h>

#include <algorithm>

#include "pipeline/diagnostics.h"

namespace storyreel {

ThumbnailSize thumbnail_size(int width, int height, const ThumbnailSettings& settings) {
    const int thumbnail_width = std::min(settings.width, std::max(1, width));
    const int thumbnail_height = std::max(
        1, static_cast<int>(static_cast<long long>(height) * thumbnail_width / std::max(1, width)));
    return {thumbnail_width, thumbnail_height};
}

void write_jpeg(const Rgb8Image& image, const std::filesystem::path& file, int quality) {
    OIIO::ImageSpec spec(image.width, image.height, 3, OIIO::TypeDesc::UINT8);
    spec.attribute("compression", "jpeg:" + std::to_string(quality));
    spec.attribute("oiio:ColorSpace", "sRGB");
    auto out = OIIO::ImageOutput::create("jpeg");
    const bool ok = out && out->open(file.string(), spec) &&
                    out->write_image(OIIO::TypeDesc::UINT8, image.pixels.data()) && out->close();
    if (!ok)
        throw BuildError({{file.string(), 0, 0},
                          "review page image",
                          "cannot write the JPEG: " + (out ? out->geterror() : OIIO::geterror()),
                          "check free space and permissions in the cache folder"});
}

}  // namespace storyreel
