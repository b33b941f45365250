#include "stages/library_versions.h"

#include <link.h>

#include <filesystem>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <OpenImageIO/imageio.h>
#include <cairo.h>
#include <pango/pango.h>

namespace storyreel {

namespace {

/// "59.37.100" from a libav library's AV_VERSION_INT.
std::string libav_version(unsigned version) {
    return std::to_string(AV_VERSION_MAJOR(version)) + "." +
           std::to_string(AV_VERSION_MINOR(version)) + "." +
           std::to_string(AV_VERSION_MICRO(version));
}

std::string loaded_libav() {
    std::string text = av_version_info();
    const std::pair<const char*, unsigned> libraries[] = {
        {"avcodec", avcodec_version()},       {"avformat", avformat_version()},
        {"avfilter", avfilter_version()},     {"avutil", avutil_version()},
        {"swresample", swresample_version()}, {"swscale", swscale_version()}};
    for (const auto& [name, version] : libraries)
        text += std::string("/") + name + "-" + libav_version(version);
    return text;
}

/// The file name of the loaded libx264, or "not loaded".
std::string loaded_x264() {
    std::string found = "not loaded";
    dl_iterate_phdr(
        [](dl_phdr_info* info, std::size_t, void* data) {
            if (!info->dlpi_name) return 0;
            const std::string name = std::filesystem::path(info->dlpi_name).filename().string();
            if (name.rfind("libx264.so", 0) != 0) return 0;
            *static_cast<std::string*>(data) = name;
            return 1;  // stop: found
        },
        &found);
    return found;
}

std::string loaded_oiio() {
    const int version = OIIO::openimageio_version();  // 20410 for 2.4.10
    return std::to_string(version / 10000) + "." + std::to_string(version / 100 % 100) + "." +
           std::to_string(version % 100);
}

}  // namespace

LibraryVersions loaded_library_versions() {
    return LibraryVersions({{"libav", loaded_libav()},
                            {"x264", loaded_x264()},
                            {"oiio", loaded_oiio()},
                            {"cairo", cairo_version_string()},
                            {"pango", pango_version_string()}});
}

}  // namespace storyreel
