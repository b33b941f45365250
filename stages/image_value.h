#pragma once
// The value image stages pass to each other (port types "image" and "frame").

#include <OpenImageIO/imagebuf.h>

#include <memory>

namespace storyreel {

/// Port type of a board as read (any size; RGB, UINT16 or float).
inline constexpr const char* kImagePort = "image";
/// Port type of a conformed frame (show resolution, UINT16 RGB): what encoders take.
inline constexpr const char* kFramePort = "frame";

/// An RGB image, shared read-only between the stages that need it. After ingest it is
/// UINT16 (plain 8/16-bit RGB files) or float, display-referred (sRGB/Rec.709
/// transfer), alpha already composited; after conform it is UINT16 at the show's resolution.
using ImageValue = std::shared_ptr<const OIIO::ImageBuf>;

}  // namespace storyreel
