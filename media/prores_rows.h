#pragma once
// Re-encoding only the changed rows of a ProRes frame.
//
// A ProRes picture is a table of slices, each one row of macroblocks (16 lines) high and
// coded on its own with its own quantiser; prores_ks picks the quantisers row by row from
// the row's pixels and a bit budget per macroblock. So when a frame differs from the one
// before it only in a few rows (a frame counter's box on a held panel), encoding just those
// rows as a picture of their own, with the whole frame's budget, and putting its slices in
// place of the old ones gives, byte for byte, the packet of the whole frame encoded, for
// the cost of those rows.

#include <OpenImageIO/imagebuf.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "media/av_handles.h"
#include "media/encode_settings.h"
#include "media/video_encoder.h"

namespace storyreel {

class ProResRowEncoder {
  public:
    /// `settings` are a ProRes encode stage's; frames are `width` x `height`.
    ProResRowEncoder(const EncodeSettings& settings, int width, int height, FrameRate rate,
                     std::string file);

    /// Encodes a whole frame (already in the encoder's pixel format).
    av::PacketPtr encode_whole(AVFrame* frame);
    /// `previous` (a whole frame this encoder made) with the macroblock rows that `changed`
    /// touches encoded again from `picture` (RGB UINT16, the whole frame).
    av::PacketPtr update(const AVPacket& previous, const OIIO::ImageBuf& picture,
                         const std::vector<OIIO::ROI>& changed);

  private:
    VideoEncoder& rows_encoder(int height);

    EncodeSettings settings_;
    int width_, height_;
    FrameRate rate_;
    std::string file_;
    VideoEncoder whole_;
    std::map<int, std::unique_ptr<VideoEncoder>> rows_;  ///< by picture height
};

/// `frame` (a progressive ProRes frame) with its slice rows from `first_row` replaced by
/// every slice row of `rows` (a ProRes frame as wide). Throws BuildError naming `file`
/// when either is not laid out as prores_ks writes.
av::PacketPtr splice_prores_rows(const AVPacket& frame, const AVPacket& rows, int first_row,
                                 const std::string& file);

}  // namespace storyreel
