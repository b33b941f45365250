#include "stages/camera_move.h"

#include <OpenImageIO/imagebufalgo.h>

#include <cmath>
#include <numbers>

#include "pipeline/diagnostics.h"

namespace storyreel {

OIIO::ImageBuf view_through_camera(const OIIO::ImageBuf& panel, const CameraKey& key) {
    const double width = panel.spec().width;
    const double height = panel.spec().height;
    const double angle = key.rotate_degrees * std::numbers::pi / 180.0;
    const double z_cos = key.zoom * std::cos(angle);
    const double z_sin = key.zoom * std::sin(angle);
    const double cx = key.centre_x * width;
    const double cy = key.centre_y * height;
    // Maps panel pixels to frame pixels (row vectors, as OpenImageIO/Imath use):
    // frame = centre_of_frame + zoom * rotate(panel - key_centre).
    const float matrix[3][3] = {{static_cast<float>(z_cos), static_cast<float>(z_sin), 0.f},
                                {static_cast<float>(-z_sin), static_cast<float>(z_cos), 0.f},
                                {static_cast<float>(width / 2 - (cx * z_cos - cy * z_sin)),
                                 static_cast<float>(height / 2 - (cx * z_sin + cy * z_cos)), 1.f}};
    OIIO::ImageBuf frame(panel.spec());
    if (!OIIO::ImageBufAlgo::warp(frame, panel, matrix, "lanczos3", 0.f, false,
                                  OIIO::ImageBuf::WrapBlack, {}, 1))
        throw BuildError(
            {{}, {}, "camera move: cannot resample the panel: " + frame.geterror(), {}});
    return frame;
}

}  // namespace storyreel
