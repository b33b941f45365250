// Given panels encoded once by libx264 as IDR pictures and held with our all-P_Skip frames,
// the movie should decode cleanly (libav, the ffmpeg CLI, ffprobe) to exactly the IDR's
// pixels on every held frame, at a constant frame rate, whatever the entropy coder, picture
// size, weighted prediction or frame_num wrap-around.

#include "media/h264_skip_frames.h"

#include <gtest/gtest.h>

extern "C" {
#include <libavutil/opt.h>
}

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "media/av_handles.h"
#include "media/h264_bitstream.h"
#include "pipeline/diagnostics.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
constexpr AVRational kFrameTime{1, 24};

// ---- libav log errors -------------------------------------------------------------------

std::atomic<int> g_av_errors{0};

void count_av_errors(void* object, int level, const char* format, va_list args) {
    if (level <= AV_LOG_ERROR) ++g_av_errors;
    av_log_default_callback(object, level, format, args);
}

/// Counts libav messages at AV_LOG_ERROR or worse while alive.
class AvErrorCounter {
  public:
    AvErrorCounter() {
        g_av_errors = 0;
        av_log_set_callback(count_av_errors);
    }
    ~AvErrorCounter() { av_log_set_callback(av_log_default_callback); }
    int errors() const { return g_av_errors; }
};

std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return "popen failed: " + command;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
    return output;
}

// ---- Encoding ---------------------------------------------------------------------------

/// A yuv420p picture with a diagonal gradient, a disc and a bar placed by `variant`.
av::FramePtr make_picture(int width, int height, int variant) {
    auto frame = av::make_frame();
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = width;
    frame->height = height;
    av::check(av_frame_get_buffer(frame.get(), 0), "allocating a test picture", "test");
    const int cx = width * (3 + 2 * variant) / 10, cy = height / 2, radius = height / 5;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            int luma = 16 + (x * 150 / width + y * 70 / height + 40 * variant) % 200;
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius)
                luma = 235 - 30 * variant;
            if (y > height * 3 / 4 && y < height * 3 / 4 + 12 && x > width / 8) luma = 20;
            if (((x / 7) + (y / 5) + variant) % 23 == 0) luma ^= 0x3F;  // fine texture
            frame->data[0][y * frame->linesize[0] + x] = static_cast<uint8_t>(luma);
        }
    for (int y = 0; y < (height + 1) / 2; ++y)
        for (int x = 0; x < (width + 1) / 2; ++x) {
            frame->data[1][y * frame->linesize[1] + x] =
                static_cast<uint8_t>(64 + x * 128 / width + 50 * variant);
            frame->data[2][y * frame->linesize[2] + x] =
                static_cast<uint8_t>(192 - y * 128 / height);
        }
    return frame;
}

/// How a test sets up libx264 beyond the settings every skip-frame stream needs.
struct X264Setup {
    int width = 640;
    int height = 360;
    std::string extra_params;  ///< e.g. "cabac=0", "weightp=2"
    std::string name;
};

std::ostream& operator<<(std::ostream& out, const X264Setup& setup) { return out << setup.name; }

/// libx264 configured as H264SkipFrameWriter needs: no B-frames, no delay, IDRs forced.
av::CodecContextPtr open_x264(const X264Setup& setup, bool global_header) {
    const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) throw std::runtime_error("this FFmpeg has no libx264");
    av::CodecContextPtr context(avcodec_alloc_context3(codec));
    AVCodecContext* c = context.get();
    c->width = setup.width;
    c->height = setup.height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = kFrameTime;
    c->framerate = AVRational{24, 1};
    c->profile = FF_PROFILE_H264_HIGH;
    c->max_b_frames = 0;
    c->refs = 1;
    c->gop_size = 100000;
    if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(c->priv_data, "preset", "veryfast", 0);
    av_opt_set(c->priv_data, "tune", "zerolatency", 0);
    av_opt_set(c->priv_data, "crf", "20", 0);
    av_opt_set(c->priv_data, "forced-idr", "1", 0);
    std::string params = "scenecut=0:weightp=0";
    if (!setup.extra_params.empty()) params += ":" + setup.extra_params;
    av_opt_set(c->priv_data, "x264-params", params.c_str(), 0);
    av::check(avcodec_open2(c, codec, nullptr), "opening libx264", setup.name);
    return context;
}

/// Encodes `frame` as an IDR and returns its packet, which must come out at once.
av::PacketPtr encode_idr(AVCodecContext* encoder, AVFrame* frame, std::int64_t pts) {
    frame->pts = pts;
    frame->pict_type = AV_PICTURE_TYPE_I;
    av::check(avcodec_send_frame(encoder, frame), "encoding a panel", "test");
    auto packet = av::make_packet();
    av::check(avcodec_receive_packet(encoder, packet.get()), "receiving a panel's packet", "test");
    packet->pts = packet->dts = pts;
    packet->duration = 1;
    return packet;
}

// ---- Muxing -----------------------------------------------------------------------------

/// An MP4 (or raw .h264) file written packet by packet, timestamps in frames.
class MovieFile {
  public:
    MovieFile(const fs::path& path, const AVCodecParameters* parameters) : path_(path) {
        AVFormatContext* raw = nullptr;
        av::check(avformat_alloc_output_context2(&raw, nullptr, nullptr, path.c_str()),
                  "creating the output", path);
        output_.reset(raw);
        stream_ = avformat_new_stream(raw, nullptr);
        av::check(avcodec_parameters_copy(stream_->codecpar, parameters), "copying parameters",
                  path);
        stream_->codecpar->codec_tag = 0;
        stream_->time_base = kFrameTime;
        stream_->avg_frame_rate = stream_->r_frame_rate = AVRational{24, 1};
        av::check(avio_open(&raw->pb, path.c_str(), AVIO_FLAG_WRITE), "opening", path);
        av::check(avformat_write_header(raw, nullptr), "writing the header", path);
    }

    void write(AVPacket* packet) {
        packet->stream_index = stream_->index;
        av_packet_rescale_ts(packet, kFrameTime, stream_->time_base);
        av::check(av_write_frame(output_.get(), packet), "writing a packet", path_);
    }

    /// A skip frame: pts = dts = frame index, duration 1, not a key frame.
    void write_bytes(const std::vector<uint8_t>& bytes, std::int64_t pts) {
        auto packet = av::make_packet();
        av::check(av_new_packet(packet.get(), static_cast<int>(bytes.size())), "allocating", path_);
        std::copy(bytes.begin(), bytes.end(), packet->data);
        packet->pts = packet->dts = pts;
        packet->duration = 1;
        write(packet.get());
    }

    void finish() { av::check(av_write_trailer(output_.get()), "writing the trailer", path_); }

  private:
    fs::path path_;
    av::OutputContextPtr output_;
    AVStream* stream_ = nullptr;
};

/// A panel: which test picture and for how many frames it is held.
struct Panel {
    int variant;
    int frames;
};

/// Encodes each panel once with libx264 and holds it with skip frames. Returns the params
/// parsed from the encoder's extradata.
H264StreamParams write_held_movie(const fs::path& path, const X264Setup& setup,
                                  const std::vector<Panel>& panels) {
    auto encoder = open_x264(setup, /*global_header=*/true);
    const H264StreamParams params =
        parse_h264_params(encoder->extradata, encoder->extradata_size, setup.name);
    const H264SkipFrameWriter writer(params);
    auto parameters = avcodec_parameters_alloc();
    avcodec_parameters_from_context(parameters, encoder.get());
    MovieFile movie(path, parameters);
    avcodec_parameters_free(&parameters);
    std::int64_t pts = 0;
    for (const Panel& panel : panels) {
        auto picture = make_picture(setup.width, setup.height, panel.variant);
        auto idr = encode_idr(encoder.get(), picture.get(), pts);
        EXPECT_TRUE(h264_access_unit_is_idr({idr->data, static_cast<size_t>(idr->size)}, params));
        EXPECT_TRUE(idr->flags & AV_PKT_FLAG_KEY);
        movie.write(idr.get());
        for (int k = 1; k < panel.frames; ++k) movie.write_bytes(writer.skip_frame(k), pts + k);
        pts += panel.frames;
    }
    movie.finish();
    return params;
}

// ---- Decoding ---------------------------------------------------------------------------

using Planes = std::array<std::vector<uint8_t>, 3>;

struct DecodedMovie {
    std::vector<Planes> frames;
    std::vector<std::int64_t> pts;          ///< in frames
    std::vector<std::int64_t> key_packets;  ///< pts (in frames) of packets flagged key
    int corrupt_frames = 0;
    int av_errors = 0;
};

Planes copy_planes(const AVFrame* frame) {
    Planes planes;
    for (int p = 0; p < 3; ++p) {
        const int width = p == 0 ? frame->width : (frame->width + 1) / 2;
        const int height = p == 0 ? frame->height : (frame->height + 1) / 2;
        for (int y = 0; y < height; ++y) {
            const uint8_t* row = frame->data[p] + y * frame->linesize[p];
            planes[p].insert(planes[p].end(), row, row + width);
        }
    }
    return planes;
}

DecodedMovie decode_movie(const fs::path& path) {
    DecodedMovie movie;
    AvErrorCounter counter;
    AVFormatContext* raw = nullptr;
    av::check(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), "opening", path);
    av::InputContextPtr input(raw);
    av::check(avformat_find_stream_info(raw, nullptr), "probing", path);
    AVStream* stream = raw->streams[0];
    const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
    av::CodecContextPtr decoder(avcodec_alloc_context3(codec));
    avcodec_parameters_to_context(decoder.get(), stream->codecpar);
    av::check(avcodec_open2(decoder.get(), codec, nullptr), "opening the decoder", path);
    auto packet = av::make_packet();
    auto frame = av::make_frame();
    auto drain = [&] {
        while (avcodec_receive_frame(decoder.get(), frame.get()) >= 0) {
            movie.frames.push_back(copy_planes(frame.get()));
            movie.pts.push_back(
                av_rescale_q(frame->best_effort_timestamp, stream->time_base, kFrameTime));
            if (frame->decode_error_flags || (frame->flags & AV_FRAME_FLAG_CORRUPT))
                ++movie.corrupt_frames;
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(raw, packet.get()) >= 0) {
        if (packet->flags & AV_PKT_FLAG_KEY)
            movie.key_packets.push_back(av_rescale_q(packet->pts, stream->time_base, kFrameTime));
        if (avcodec_send_packet(decoder.get(), packet.get()) < 0) ++movie.corrupt_frames;
        av_packet_unref(packet.get());
        drain();
    }
    avcodec_send_packet(decoder.get(), nullptr);
    drain();
    movie.av_errors = counter.errors();
    return movie;
}

/// Checks a decoded movie against its panels: frame count, CFR timestamps, key frames only
/// on IDRs, and every held frame equal to its IDR.
void expect_held_panels(const DecodedMovie& movie, const std::vector<Panel>& panels) {
    std::int64_t total = 0;
    for (const Panel& panel : panels) total += panel.frames;
    ASSERT_EQ(static_cast<std::int64_t>(movie.frames.size()), total);
    EXPECT_EQ(movie.av_errors, 0);
    EXPECT_EQ(movie.corrupt_frames, 0);
    std::vector<std::int64_t> expected_keys;
    std::int64_t start = 0;
    for (const Panel& panel : panels) {
        expected_keys.push_back(start);
        const Planes& idr = movie.frames[start];
        for (int k = 1; k < panel.frames; ++k) {
            const Planes& held = movie.frames[start + k];
            for (int p = 0; p < 3; ++p)
                ASSERT_TRUE(held[p] == idr[p]) << "frame " << start + k << " plane " << p
                                               << " differs from its IDR (frame " << start << ")";
        }
        if (start > 0) {
            EXPECT_FALSE(movie.frames[start][0] == movie.frames[0][0]);
        }
        start += panel.frames;
    }
    for (std::int64_t i = 0; i < total; ++i) EXPECT_EQ(movie.pts[i], i);
    EXPECT_EQ(movie.key_packets, expected_keys);
}

/// frame_num of each picture's first slice, as FFmpeg's own header parser (the
/// trace_headers bitstream filter, independent of our writer) reads it.
std::vector<int> traced_frame_nums(const std::string& quoted_path) {
    const std::string trace = run_command("ffmpeg -nostdin -i " + quoted_path +
                                          " -c:v copy -bsf:v trace_headers -f null - 2>&1");
    static const std::regex field(
        R"(\] \d+ +(nal_unit_type|first_mb_in_slice|frame_num) +[01]+ = (\d+))");
    std::vector<int> frame_nums;
    int nal_type = 0, first_mb = -1;
    std::istringstream lines(trace);
    for (std::string line; std::getline(lines, line);) {
        std::smatch match;
        if (!std::regex_search(line, match, field)) continue;
        const int value = std::stoi(match[2]);
        if (match[1] == "nal_unit_type")
            nal_type = value;
        else if (match[1] == "first_mb_in_slice")
            first_mb = value;
        else if ((nal_type == 1 || nal_type == 5) && first_mb == 0)
            frame_nums.push_back(value);
    }
    return frame_nums;
}

/// The ffmpeg CLI decodes without a message, ffprobe counts every frame, and frame_num
/// restarts at 0 on each IDR and counts up modulo MaxFrameNum.
void expect_cli_tools_agree(const fs::path& path, const std::vector<Panel>& panels,
                            const H264StreamParams& params) {
    const std::string quoted = "'" + path.string() + "'";
    std::int64_t total = 0;
    std::vector<int> expected_frame_nums;
    for (const Panel& panel : panels) {
        total += panel.frames;
        for (int k = 0; k < panel.frames; ++k)
            expected_frame_nums.push_back(k % (1 << params.log2_max_frame_num));
    }
    EXPECT_EQ(run_command("ffmpeg -nostdin -v error -i " + quoted + " -f null - 2>&1"), "");
    EXPECT_EQ(run_command("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                          "stream=nb_read_frames -of csv=p=0 " +
                          quoted + " 2>&1"),
              std::to_string(total) + "\n");
    EXPECT_EQ(traced_frame_nums(quoted), expected_frame_nums);
}

// ---- Tests ------------------------------------------------------------------------------

class HeldPanelMovie : public ::testing::TestWithParam<X264Setup> {};

TEST_P(HeldPanelMovie, DecodesToTheIdrPixelsOnEveryHeldFrame) {
    const X264Setup& setup = GetParam();
    testing::TempDir dir;
    const fs::path path = dir.path() / "held.mp4";
    const std::vector<Panel> panels{{0, 48}, {1, 24}};
    const H264StreamParams params = write_held_movie(path, setup, panels);
    std::cout << "[          ] " << setup.name << ": " << params.describe() << "\n";
    EXPECT_EQ(params.cabac, setup.extra_params.find("cabac=0") == std::string::npos);
    EXPECT_EQ(params.framing, H264Framing::AnnexB);  // libx264's own packets
    expect_held_panels(decode_movie(path), panels);
    expect_cli_tools_agree(path, panels, params);
}

INSTANTIATE_TEST_SUITE_P(
    X264Settings, HeldPanelMovie,
    ::testing::Values(X264Setup{640, 360, "", "cabac_640x360"},
                      X264Setup{720, 480, "cabac=0", "cavlc_720x480"},
                      X264Setup{1280, 720, "weightp=2", "cabac_weightp_1280x720"},
                      X264Setup{640, 360, "cabac=0:weightp=1:ref=3", "cavlc_weightp_refs3_640x360"},
                      X264Setup{1920, 1080, "", "cabac_1920x1080"}),
    [](const auto& info) { return info.param.name; });

TEST(H264SkipFrames, HoldLongerThanMaxFrameNumWrapsFrameNum) {
    testing::TempDir dir;
    const fs::path path = dir.path() / "long_hold.mp4";
    const X264Setup setup{640, 360, "", "long_hold"};
    const std::vector<Panel> panels{{0, 301}, {1, 40}};
    const H264StreamParams params = write_held_movie(path, setup, panels);
    ASSERT_LT(1 << params.log2_max_frame_num, 300);
    expect_held_panels(decode_movie(path), panels);
    expect_cli_tools_agree(path, panels, params);

    // frame_num in the slice header counts up modulo MaxFrameNum.
    const H264SkipFrameWriter writer(params);
    for (std::int64_t k : {1, 15, 16, 17, 255, 256, 300}) {
        const auto bytes = writer.skip_frame(k);
        const auto units = h264::split_annex_b(bytes);
        ASSERT_EQ(units.size(), 1u);
        EXPECT_EQ(units[0][0], 0x41);
        const auto rbsp = h264::remove_emulation_prevention(units[0].subspan(1));
        h264::BitReader reader(rbsp);
        EXPECT_EQ(reader.ue(), 0u);  // first_mb_in_slice
        EXPECT_EQ(reader.ue(), 5u);  // slice_type P
        EXPECT_EQ(reader.ue(), static_cast<uint32_t>(params.pps_id));
        EXPECT_EQ(reader.bits(params.log2_max_frame_num), k % (1 << params.log2_max_frame_num));
    }
}

TEST(H264SkipFrames, RemuxedStreamUsesLengthPrefixedFraming) {
    // Given an MP4 read back by a demuxer (avcC extradata, length-prefixed packets), held
    // frames are written in that framing.
    testing::TempDir dir;
    const fs::path source = dir.path() / "source.mp4";
    write_held_movie(source, {640, 360, "", "source"}, {{0, 2}, {1, 2}});

    AVFormatContext* raw = nullptr;
    av::check(avformat_open_input(&raw, source.c_str(), nullptr, nullptr), "opening", source);
    av::InputContextPtr input(raw);
    av::check(avformat_find_stream_info(raw, nullptr), "probing", source);
    const AVCodecParameters* parameters = raw->streams[0]->codecpar;
    const H264StreamParams params =
        parse_h264_params(parameters->extradata, parameters->extradata_size, source);
    EXPECT_EQ(params.framing, H264Framing::LengthPrefixed);
    EXPECT_EQ(params.nal_length_size, 4);
    const H264SkipFrameWriter writer(params);

    const fs::path remuxed = dir.path() / "remuxed.mp4";
    MovieFile movie(remuxed, parameters);
    const std::vector<Panel> panels{{0, 30}, {1, 20}};
    std::int64_t pts = 0;
    auto packet = av::make_packet();
    for (const Panel& panel : panels) {
        do {  // the next IDR of the source
            ASSERT_GE(av_read_frame(raw, packet.get()), 0);
            if (!(packet->flags & AV_PKT_FLAG_KEY)) av_packet_unref(packet.get());
        } while (!packet->data);
        EXPECT_TRUE(
            h264_access_unit_is_idr({packet->data, static_cast<size_t>(packet->size)}, params));
        packet->pts = packet->dts = pts;
        packet->duration = 1;
        movie.write(packet.get());
        av_packet_unref(packet.get());
        for (int k = 1; k < panel.frames; ++k) movie.write_bytes(writer.skip_frame(k), pts + k);
        pts += panel.frames;
    }
    movie.finish();
    expect_held_panels(decode_movie(remuxed), panels);
    expect_cli_tools_agree(remuxed, panels, params);
}

TEST(H264SkipFrames, RawAnnexBStreamDecodes) {
    // An elementary .h264 stream: extradata (SPS/PPS) first, then the packets as they are.
    testing::TempDir dir;
    const fs::path path = dir.path() / "held.h264";
    const X264Setup setup{720, 480, "", "raw"};
    auto encoder = open_x264(setup, /*global_header=*/false);
    FILE* file = std::fopen(path.c_str(), "wb");
    ASSERT_TRUE(file);
    const std::vector<Panel> panels{{0, 10}, {1, 12}};
    std::int64_t pts = 0;
    std::optional<H264SkipFrameWriter> writer;
    for (const Panel& panel : panels) {
        auto picture = make_picture(setup.width, setup.height, panel.variant);
        auto idr = encode_idr(encoder.get(), picture.get(), pts);
        if (!writer) {  // without a global header, x264 puts SPS/PPS in the first packet
            writer.emplace(parse_h264_params(idr->data, idr->size, path));
        }
        std::fwrite(idr->data, 1, idr->size, file);
        for (int k = 1; k < panel.frames; ++k) {
            const auto bytes = writer->skip_frame(k);
            std::fwrite(bytes.data(), 1, bytes.size(), file);
        }
        pts += panel.frames;
    }
    std::fclose(file);
    const DecodedMovie movie = decode_movie(path);
    ASSERT_EQ(movie.frames.size(), 22u);
    EXPECT_EQ(movie.av_errors, 0);
    EXPECT_EQ(movie.corrupt_frames, 0);
    for (int k = 1; k < 10; ++k) EXPECT_TRUE(movie.frames[k] == movie.frames[0]);
    for (int k = 11; k < 22; ++k) EXPECT_TRUE(movie.frames[k] == movie.frames[10]);
    EXPECT_EQ(run_command("ffmpeg -nostdin -v error -i '" + path.string() + "' -f null - 2>&1"),
              "");
}

// ---- Header checks ----------------------------------------------------------------------

/// Options for a hand-made SPS/PPS pair.
struct HandMadeHeaders {
    int poc_type = 2;
    bool frame_mbs_only = true;
    int slice_groups = 1;
    int max_num_ref_frames = 1;
};

std::vector<uint8_t> make_extradata(const HandMadeHeaders& options) {
    std::vector<uint8_t> out;
    auto append_nal = [&](uint8_t header, h264::BitWriter& rbsp) {
        rbsp.put_trailing_bits();
        out.insert(out.end(), {0, 0, 0, 1, header});
        h264::append_with_emulation_prevention(rbsp.bytes(), out);
    };
    h264::BitWriter sps;
    sps.put_bits(77, 8);  // Main
    sps.put_bits(0, 8);
    sps.put_bits(30, 8);
    sps.put_ue(0);  // sps id
    sps.put_ue(0);  // log2_max_frame_num_minus4
    sps.put_ue(options.poc_type);
    if (options.poc_type == 0) sps.put_ue(2);
    sps.put_ue(options.max_num_ref_frames);
    sps.put_bit(false);
    sps.put_ue(39);
    sps.put_ue(22);
    sps.put_bit(options.frame_mbs_only);
    if (!options.frame_mbs_only) sps.put_bit(false);
    sps.put_bit(true);   // direct_8x8_inference
    sps.put_bit(false);  // cropping
    sps.put_bit(false);  // vui
    append_nal(0x67, sps);
    h264::BitWriter pps;
    pps.put_ue(0);
    pps.put_ue(0);
    pps.put_bit(true);  // CABAC
    pps.put_bit(false);
    pps.put_ue(options.slice_groups - 1);
    if (options.slice_groups > 1) pps.put_ue(0), pps.put_ue(0), pps.put_ue(0);
    pps.put_ue(0);
    pps.put_ue(0);
    pps.put_bit(false);
    pps.put_bits(0, 2);
    pps.put_se(0);
    pps.put_se(0);
    pps.put_se(0);
    pps.put_bit(true);
    pps.put_bit(false);
    pps.put_bit(false);
    append_nal(0x68, pps);
    return out;
}

std::string parse_error(const HandMadeHeaders& options) {
    const auto extradata = make_extradata(options);
    try {
        parse_h264_params(extradata.data(), static_cast<int>(extradata.size()), "board.mp4");
    } catch (const BuildError& error) {
        return error.what();
    }
    return "";
}

TEST(H264SkipFrames, HandMadeHeadersParse) {
    const auto extradata = make_extradata({});
    const auto params = parse_h264_params(extradata.data(), static_cast<int>(extradata.size()));
    EXPECT_EQ(params.width_mbs, 40);
    EXPECT_EQ(params.height_mbs, 23);
    EXPECT_TRUE(params.cabac);
    EXPECT_TRUE(params.deblocking_control_present);
    EXPECT_FALSE(params.transform_8x8_mode);
}

TEST(H264SkipFrames, RefusesStreamsItCannotHold) {
    EXPECT_NE(parse_error({.poc_type = 0}).find("pic_order_cnt_type 0"), std::string::npos);
    EXPECT_NE(parse_error({.poc_type = 0}).find("board.mp4"), std::string::npos);
    EXPECT_NE(parse_error({.frame_mbs_only = false}).find("interlaced"), std::string::npos);
    EXPECT_NE(parse_error({.slice_groups = 2}).find("slice groups"), std::string::npos);
    EXPECT_NE(parse_error({.max_num_ref_frames = 0}).find("no reference"), std::string::npos);
    const uint8_t garbage[] = {0, 0, 1, 0x67, 0x64};
    EXPECT_THROW(parse_h264_params(garbage, sizeof garbage), BuildError);
    EXPECT_THROW(parse_h264_params(nullptr, 0), BuildError);
}

TEST(H264SkipFrames, X264WithBFramesIsRefused) {
    X264Setup setup{640, 360, "bframes=2", "bframes"};
    auto encoder = open_x264(setup, true);
    EXPECT_THROW(parse_h264_params(encoder->extradata, encoder->extradata_size), BuildError);
}

TEST(H264Bitstream, ExpGolombAndEmulationPrevention) {
    h264::BitWriter writer;
    writer.put_ue(0);
    writer.put_ue(4);
    writer.put_se(-3);
    writer.put_se(2);
    writer.put_ue(8160);
    writer.put_trailing_bits();
    h264::BitReader reader(writer.bytes());
    EXPECT_EQ(reader.ue(), 0u);
    EXPECT_EQ(reader.ue(), 4u);
    EXPECT_EQ(reader.se(), -3);
    EXPECT_EQ(reader.se(), 2);
    EXPECT_EQ(reader.ue(), 8160u);
    EXPECT_FALSE(reader.more_rbsp_data());

    const std::vector<uint8_t> rbsp{0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 4, 0, 0};
    std::vector<uint8_t> payload;
    h264::append_with_emulation_prevention(rbsp, payload);
    EXPECT_EQ(payload,
              (std::vector<uint8_t>{0, 0, 3, 0, 0, 3, 0, 1, 0, 0, 3, 2, 0, 0, 4, 0, 0, 3}));
    EXPECT_EQ(h264::remove_emulation_prevention(payload), rbsp);
}

// ---- Cost -------------------------------------------------------------------------------

TEST(H264SkipFrames, CostPerSkipFrameAt1080p) {
    for (const char* extra : {"", "cabac=0"}) {
        auto encoder = open_x264({1920, 1080, extra, "cost"}, true);
        const auto params = parse_h264_params(encoder->extradata, encoder->extradata_size);
        const auto setup_start = std::chrono::steady_clock::now();
        const H264SkipFrameWriter writer(params);
        const auto setup_time = std::chrono::steady_clock::now() - setup_start;
        constexpr int kFrames = 100000;
        std::size_t bytes = 0;
        const auto start = std::chrono::steady_clock::now();
        for (int k = 1; k <= kFrames; ++k) bytes += writer.skip_frame(k).size();
        const auto elapsed = std::chrono::steady_clock::now() - start;
        const double per_frame_us =
            std::chrono::duration<double, std::micro>(elapsed).count() / kFrames;
        std::cout << "[          ] 1080p " << (params.cabac ? "CABAC" : "CAVLC") << ": "
                  << static_cast<double>(bytes) / kFrames
                  << " bytes/frame (incl. 4-byte start code), " << per_frame_us
                  << " us/frame, writer setup "
                  << std::chrono::duration<double, std::micro>(setup_time).count() << " us\n";
        EXPECT_LT(per_frame_us, 100.0);
        EXPECT_LT(bytes / kFrames, 100u);
    }
}

}  // namespace
}  // namespace storyreel
