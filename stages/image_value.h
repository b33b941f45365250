#pragma once
// The value image stages pass to each other (port type "image").

#include <OpenImageIO/imagebuf.h>

#include <memory>

namespace storyreel {

/// Port type name of ImageValue.
inline constexpr const char* kImagePort = "image";

/// An RGB image, shared read-only between the stages that need it. After ingest it is
/// float, display-referred (sRGB/Rec.709 transfer), alpha already composited; after
/// conform it is UINT16 at the show's resolution.
using ImageValue = std::shared_ptr<const OIIO::ImageBuf>;

}  // namespace storyreel
