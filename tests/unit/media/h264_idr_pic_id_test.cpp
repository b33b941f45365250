// Given IDR pictures from libx264 (CABAC and CAVLC, two sizes), giving one another
// idr_pic_id should change that field only: FFmpeg's trace_headers reads the new id, and
// the picture decodes to the same pixels as the one libx264 wrote.

#include "media/h264_idr_pic_id.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavutil/opt.h>
}

#include <fstream>
#include <regex>
#include <sstream>

#include "media/av_handles.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

struct Setup {
    int width, height;
    const char* x264_params;
};

/// Three different pictures, each a forced IDR from libx264 (SPS and PPS repeated in each).
std::vector<std::vector<std::uint8_t>> x264_idr_pictures(const Setup& setup) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) throw std::runtime_error("this FFmpeg has no libx264");
    av::CodecContextPtr context(avcodec_alloc_context3(codec));
    AVCodecContext* c = context.get();
    c->width = setup.width;
    c->height = setup.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = AVRational{1, 8};
    c->max_b_frames = 0;
    c->gop_size = 1 << 30;
    av_opt_set(c->priv_data, "tune", "zerolatency", 0);
    av_opt_set(c->priv_data, "forced-idr", "1", 0);
    av_opt_set(c->priv_data, "x264-params", setup.x264_params, 0);
    av::check(avcodec_open2(c, codec, nullptr), "opening libx264", "test");
    std::vector<std::vector<std::uint8_t>> pictures;
    for (int n = 0; n < 3; ++n) {
        auto frame = av::make_frame();
        frame->format = AV_PIX_FMT_YUV420P;
        frame->width = setup.width;
        frame->height = setup.height;
        av::check(av_frame_get_buffer(frame.get(), 0), "allocating a picture", "test");
        for (int plane = 0; plane < 3; ++plane) {
            const int w = plane ? setup.width / 2 : setup.width;
            const int h = plane ? setup.height / 2 : setup.height;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x)
                    frame->data[plane][y * frame->linesize[plane] + x] = static_cast<std::uint8_t>(
                        (x * (3 + n) + y * (5 - plane) + x * y % 7) % 220 + 16);
        }
        frame->pts = n;
        frame->pict_type = AV_PICTURE_TYPE_I;
        av::check(avcodec_send_frame(c, frame.get()), "encoding", "test");
        auto packet = av::make_packet();
        av::check(avcodec_receive_packet(c, packet.get()), "receiving", "test");
        pictures.emplace_back(packet->data, packet->data + packet->size);
    }
    return pictures;
}

/// The Y, Cb and Cr planes `access_unit` decodes to, on its own.
std::string decoded_planes(const std::vector<std::uint8_t>& access_unit) {
    av::CodecContextPtr context(avcodec_alloc_context3(avcodec_find_decoder(AV_CODEC_ID_H264)));
    av::check(avcodec_open2(context.get(), context->codec, nullptr), "opening h264", "test");
    auto packet = av::make_packet();
    av::check(av_new_packet(packet.get(), static_cast<int>(access_unit.size())), "packet", "test");
    std::copy(access_unit.begin(), access_unit.end(), packet->data);
    av::check(avcodec_send_packet(context.get(), packet.get()), "decoding", "test");
    av::check(avcodec_send_packet(context.get(), nullptr), "flushing", "test");
    auto frame = av::make_frame();
    av::check(avcodec_receive_frame(context.get(), frame.get()), "receiving a picture", "test");
    std::string planes;
    for (int plane = 0; plane < 3; ++plane) {
        const int w = plane ? frame->width / 2 : frame->width;
        const int h = plane ? frame->height / 2 : frame->height;
        for (int y = 0; y < h; ++y)
            planes.append(
                reinterpret_cast<const char*>(frame->data[plane]) + y * frame->linesize[plane],
                static_cast<std::size_t>(w));
    }
    return planes;
}

class IdrPicId : public ::testing::TestWithParam<Setup> {};

TEST_P(IdrPicId, ChangesThatFieldAndDecodesToTheSamePicture) {
    const auto pictures = x264_idr_pictures(GetParam());
    const H264StreamParams params = parse_h264_params(
        pictures[0].data(), static_cast<int>(pictures[0].size()));  // SPS and PPS in-band
    EXPECT_EQ(h264_idr_pic_id(pictures[0], params), 0);
    EXPECT_EQ(h264_idr_pic_id(pictures[1], params), 1) << "libx264 alternates 0 and 1";
    std::vector<std::uint8_t> stream;  // the pictures, each again with other ids
    std::vector<int> ids;
    for (const auto& picture : pictures) {
        const std::string planes = decoded_planes(picture);
        for (int id : {2, 1, 0, 7, 300}) {
            const auto rewritten = h264_with_idr_pic_id(picture, params, id);
            EXPECT_EQ(h264_idr_pic_id(rewritten, params), id);
            EXPECT_TRUE(decoded_planes(rewritten) == planes) << "id " << id;
            stream.insert(stream.end(), rewritten.begin(), rewritten.end());
            ids.push_back(id);
        }
    }
    testing::TempDir dir;
    const auto file = dir.path() / "ids.h264";
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(stream.data()), static_cast<long>(stream.size()));
    // Per packet (a picture), the idr_pic_id of its first slice (each slice repeats it).
    const std::string trace = testing::shell_output(
        "ffmpeg -hide_banner -i '" + file.string() +
        "' -c copy -bsf:v trace_headers -f null - 2>&1 | grep -o 'Packet: \\|idr_pic_id .*= "
        "[0-9]*$'");
    std::vector<int> traced;
    std::istringstream lines(trace);
    bool first_slice = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("Packet:", 0) == 0) {
            first_slice = true;
        } else if (first_slice) {
            traced.push_back(std::stoi(line.substr(line.rfind('=') + 1)));
            first_slice = false;
        }
    }
    EXPECT_EQ(traced, ids) << trace;
    const std::string errors =
        testing::shell_output("ffmpeg -v error -i '" + file.string() + "' -f null - 2>&1");
    EXPECT_EQ(errors, "");
}

INSTANTIATE_TEST_SUITE_P(Entropy, IdrPicId,
                         ::testing::Values(Setup{64, 64, "cabac=1"}, Setup{320, 180, "cabac=1"},
                                           Setup{64, 64, "cabac=0"},
                                           Setup{320, 180, "cabac=0:deblock=-2,1"}));

}  // namespace
}  // namespace storyreel
