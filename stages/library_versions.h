#pragma once
// The versions of the libraries that make the stages' bytes, as loaded by this process.

#include "pipeline/cache_key.h"

namespace storyreel {

/// The versions of libav, libx264 and OpenImageIO loaded at run time (not the headers we
/// were compiled against: a distribution update of a shared library changes the bytes
/// without rebuilding storyreel), for the stages' cache keys:
///  - "libav": av_version_info() and each libav library's runtime version;
///  - "x264": the file name of the libx264 the process loaded ("libx264.so.164": its
///    soname carries x264's build number), found with dl_iterate_phdr. libavcodec links
///    it, so it is loaded with libavcodec at start-up, before any stage runs; "not loaded"
///    when this libavcodec was built without it (h264 encodes then fail anyway);
///  - "oiio": OIIO::openimageio_version() of the loaded libOpenImageIO;
///  - "cairo" and "pango": cairo_version_string() and pango_version_string(), the loaded
///    libraries that lay out and write the printable boards.
LibraryVersions loaded_library_versions();

}  // namespace storyreel
