// A segment whose stream takes shared parameters (IntraStreamParameters, one per encode
// stage, so shots of drawings encoded on worker threads open no encoder of their own) is
// byte-for-byte the segment that opens its own encoder.

#include "stages/segment_writer.h"

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "media/encode_settings.h"
#include "media/video_encoder.h"
#include "pipeline/diagnostics.h"
#include "pipeline/project.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

std::vector<char> bytes_of(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A 16-bit RGB board with a gradient and a box, so the encoded picture is not flat.
OIIO::ImageBuf drawn_board(const ShowSettings& show, float shade) {
    OIIO::ImageBuf board(OIIO::ImageSpec(show.width, show.height, 3, OIIO::TypeDesc::UINT16));
    OIIO::ImageBufAlgo::fill(board, {0.9f, 0.9f, 0.85f}, {shade, 0.2f, 0.1f});
    OIIO::ImageBufAlgo::fill(
        board, {0.1f, 0.1f, 0.1f},
        OIIO::ROI(show.width / 4, show.width / 2, show.height / 4, show.height / 2));
    return board;
}

ShowSettings show_of_size(int width, int height) {
    ShowSettings show;
    show.width = width;
    show.height = height;
    return show;
}

class SegmentWriterTemplate : public ::testing::TestWithParam<VideoCodec> {};

TEST_P(SegmentWriterTemplate, BorrowedStreamParametersWriteTheSameBytes) {
    testing::TempDir dir;
    const ShowSettings show = show_of_size(640, 360);
    EncodeSettings settings;
    settings.codec = GetParam();
    settings.profile = settings.codec == VideoCodec::DNxHR ? "sq" : "hq";
    settings.container = Container::Mov;

    // Two drawings encoded once each, as the stage's worker threads do.
    VideoEncoder worker(settings, show.width, show.height, show.frame_rate, true, "worker");
    std::vector<av::PacketPtr> drawings;
    for (float shade : {0.3f, 0.7f}) {
        auto picture = worker.convert(drawn_board(show, shade));
        auto packet = worker.encode_intra(picture.get());
        ASSERT_TRUE(packet.has_value());
        drawings.push_back(std::move(*packet));
    }

    auto write_segment = [&](const std::filesystem::path& file,
                             const IntraStreamParameters* stream) {
        SegmentWriter segment(settings, show, file, "shot", stream);
        // The muxer takes the packet's reference: each segment gets its own copies.
        av::PacketPtr first(av_packet_clone(drawings[0].get()));
        av::PacketPtr second(av_packet_clone(drawings[1].get()));
        segment.add_encoded_panel(first.get(), 12);
        segment.add_encoded_panel(second.get(), 30);
        segment.finish();
        EXPECT_EQ(segment.frames_written(), 42);
    };
    const IntraStreamParameters shared(settings, show, "template");
    write_segment(dir.path() / "own.mov", nullptr);
    write_segment(dir.path() / "borrowed.mov", &shared);

    const auto own = bytes_of(dir.path() / "own.mov");
    const auto borrowed = bytes_of(dir.path() / "borrowed.mov");
    ASSERT_GT(own.size(), 1000u);
    EXPECT_TRUE(own == borrowed) << "own " << own.size() << " bytes, borrowed " << borrowed.size();
}

INSTANTIATE_TEST_SUITE_P(IntraCodecs, SegmentWriterTemplate,
                         ::testing::Values(VideoCodec::ProRes, VideoCodec::DNxHR),
                         [](const auto& info) {
                             return std::string(info.param == VideoCodec::ProRes ? "ProRes"
                                                                                 : "DNxHR");
                         });

TEST(SegmentWriterBorrowing, H264HasNoSharedStreamParameters) {
    EncodeSettings settings;
    settings.codec = VideoCodec::H264;
    settings.container = Container::Mp4;
    EXPECT_THROW(IntraStreamParameters(settings, show_of_size(320, 180), "template"),
                 std::logic_error);  // a bug, not bad input
}

}  // namespace
}  // namespace storyreel
