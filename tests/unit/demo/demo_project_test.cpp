// Tests of the synthetic project generator (demo/). The demo projects are the fixtures
// for every pipeline test, so these checks are independent of the demo's own code: file
// formats are read back with OIIO, audio with libav, and the YAML with yaml-cpp.

#include "demo/demo_project.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <OpenImageIO/imagebuf.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/file_bytes.h"

namespace storyreel::demo {
namespace {

using testing::read_file;

namespace fs = std::filesystem;

/// A fresh directory under the system temp folder, removed at the end of the test.
class ScratchDir {
  public:
    explicit ScratchDir(const std::string& name) {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() /
                ("storyreel_demo_" + std::string(test ? test->name() : "suite") + "_" + name + "_" +
                 std::to_string(::getpid()));
        fs::remove_all(path_);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// ---- Colour ------------------------------------------------------------------------

float linear_to_srgb(float linear) {
    if (linear <= 0.0031308f) return 12.92f * linear;
    return 1.055f * std::pow(linear, 1.f / 2.4f) - 0.055f;
}

/// The display colour of a pixel: EXR boards hold linear light, the others sRGB.
std::array<float, 3> display_colour(const OIIO::ImageBuf& image, int x, int y, bool linear) {
    float pixel[4] = {};
    image.getpixel(x, y, pixel, 4);
    std::array<float, 3> rgb{pixel[0], pixel[1], pixel[2]};
    if (linear)
        for (float& channel : rgb) channel = linear_to_srgb(channel);
    return rgb;
}

constexpr float kColourTolerance = 2.f / 255.f;

::testing::AssertionResult colour_near(const std::array<float, 3>& actual,
                                       const std::array<float, 3>& expected, float tolerance) {
    for (int c = 0; c < 3; ++c)
        if (std::fabs(actual[c] - expected[c]) > tolerance)
            return ::testing::AssertionFailure()
                   << "got (" << actual[0] * 255 << ", " << actual[1] * 255 << ", "
                   << actual[2] * 255 << ") expected (" << expected[0] * 255 << ", "
                   << expected[1] * 255 << ", " << expected[2] * 255 << ") /255";
    return ::testing::AssertionSuccess();
}

// ---- Audio -------------------------------------------------------------------------

struct FormatContextCloser {
    void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecContextFreer {
    void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct FrameFreer {
    void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketFreer {
    void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};

struct DecodedAudio {
    int sample_rate = 0;
    int channels = 0;
    std::string codec;
    std::vector<std::int16_t> left;  ///< the first channel, every sample
};

void check_av(int result, const std::string& what) {
    if (result < 0) {
        char text[AV_ERROR_MAX_STRING_SIZE] = {};
        av_strerror(result, text, sizeof text);
        throw std::runtime_error(what + ": " + text);
    }
}

/// Decodes a 16-bit audio file with libav (WAV or FLAC), keeping the first channel.
DecodedAudio decode_audio(const fs::path& file) {
    AVFormatContext* raw = nullptr;
    check_av(avformat_open_input(&raw, file.c_str(), nullptr, nullptr), "opening " + file.string());
    std::unique_ptr<AVFormatContext, FormatContextCloser> input(raw);
    check_av(avformat_find_stream_info(input.get(), nullptr), "probing " + file.string());
    const AVCodec* codec = nullptr;
    const int stream = av_find_best_stream(input.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    check_av(stream, "finding the audio stream of " + file.string());
    std::unique_ptr<AVCodecContext, CodecContextFreer> decoder(avcodec_alloc_context3(codec));
    check_av(avcodec_parameters_to_context(decoder.get(), input->streams[stream]->codecpar),
             "configuring the decoder");
    check_av(avcodec_open2(decoder.get(), codec, nullptr), "opening the decoder");

    DecodedAudio audio;
    audio.sample_rate = decoder->sample_rate;
    audio.channels = decoder->ch_layout.nb_channels;
    audio.codec = codec->name;
    std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    const auto receive_frames = [&] {
        while (avcodec_receive_frame(decoder.get(), frame.get()) == 0) {
            const auto format = static_cast<AVSampleFormat>(frame->format);
            if (format != AV_SAMPLE_FMT_S16 && format != AV_SAMPLE_FMT_S16P)
                throw std::runtime_error("unexpected sample format " +
                                         std::string(av_get_sample_fmt_name(format)));
            const auto* samples = reinterpret_cast<const std::int16_t*>(frame->data[0]);
            const int step = format == AV_SAMPLE_FMT_S16 ? audio.channels : 1;
            for (int i = 0; i < frame->nb_samples; ++i) audio.left.push_back(samples[i * step]);
            av_frame_unref(frame.get());
        }
    };
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream) {
            check_av(avcodec_send_packet(decoder.get(), packet.get()), "decoding");
            receive_frames();
        }
        av_packet_unref(packet.get());
    }
    check_av(avcodec_send_packet(decoder.get(), nullptr), "flushing the decoder");
    receive_frames();
    return audio;
}

std::uint32_t little_endian(const std::string& bytes, std::size_t at, int count) {
    std::uint32_t value = 0;
    for (int i = count - 1; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(bytes.at(at + i));
    return value;
}

/// Expected audio length: floor(frames * 48000 * den / num).
long long samples_for(long long frames, long long rate_num, long long rate_den) {
    return frames * 48000 * rate_den / rate_num;
}

/// Every panel start must be a sharp onset: quiet just before, loud on that very sample.
void expect_onsets_at_panel_starts(const DemoProject& project, const DecodedAudio& audio,
                                   long long rate_num, long long rate_den) {
    const int loud = static_cast<int>(0.45 * 32767);
    const int quiet = static_cast<int>(0.01 * 32767);
    for (const DemoPanel& panel : project.panels) {
        const long long onset = samples_for(panel.start_frame, rate_num, rate_den);
        ASSERT_LT(onset, static_cast<long long>(audio.left.size()));
        EXPECT_GE(std::abs(audio.left[onset]), loud)
            << "no burst on the first sample of " << panel.board_file << " (sample " << onset
            << ")";
        for (long long s = std::max(0LL, onset - 200); s < onset; ++s) {
            ASSERT_LE(std::abs(audio.left[s]), quiet)
                << "sound before the onset of " << panel.board_file << " at sample " << s
                << " (onset " << onset << ")";
        }
    }
}

// ---- The default demo, written once for the suite ------------------------------------

class DemoProjectDefault : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new fs::path(fs::temp_directory_path() /
                            ("storyreel_demo_default_" + std::to_string(::getpid())));
        fs::remove_all(*dir_);
        project_ = new DemoProject(write_demo_project(*dir_, DemoOptions{}));
    }
    static void TearDownTestSuite() {
        std::error_code ignored;
        fs::remove_all(*dir_, ignored);
        delete project_;
        delete dir_;
    }

    static fs::path* dir_;
    static DemoProject* project_;
};

fs::path* DemoProjectDefault::dir_ = nullptr;
DemoProject* DemoProjectDefault::project_ = nullptr;

TEST_F(DemoProjectDefault, GivenDefaultOptionsWeShouldGetSixteenPanelsInCutOrder) {
    ASSERT_EQ(project_->panels.size(), 16u);
    EXPECT_EQ(project_->project_file, fs::absolute(*dir_) / "project.yaml");
    long long next = 0;
    for (const DemoPanel& panel : project_->panels) {
        EXPECT_EQ(panel.start_frame, next);
        EXPECT_GE(panel.frames, 12);
        EXPECT_LE(panel.frames, 48);
        next += panel.frames;
    }
    EXPECT_EQ(project_->total_frames, next);
    EXPECT_EQ(project_->panels.front().sequence, "sq010");
    EXPECT_EQ(project_->panels.front().shot, "sh010");
    EXPECT_EQ(project_->panels.front().panel, "p001");
    EXPECT_EQ(project_->panels.back().sequence, "sq020");
    EXPECT_EQ(project_->panels.back().shot, "sh020");
    EXPECT_EQ(project_->panels.back().panel, "p004");
    EXPECT_EQ(project_->panels.back().board_file, "boards/sq020_sh020_p004.png");
    EXPECT_EQ(project_->audio_file, "audio/temp.wav");
    EXPECT_DOUBLE_EQ(project_->tone_hz_first, 1000.0);
}

TEST_F(DemoProjectDefault, GivenTheProjectYamlWeShouldParseTheWholeCutFromIt) {
    ASSERT_TRUE(fs::is_regular_file(project_->project_file));
    const YAML::Node root = YAML::LoadFile(project_->project_file.string());
    EXPECT_EQ(root["storyreel"].as<int>(), 1);
    const YAML::Node show = root["show"];
    EXPECT_EQ(show["name"].as<std::string>(), "Demo Show");
    EXPECT_EQ(show["frame_rate"].as<std::string>(), "24");
    EXPECT_EQ(show["resolution"].as<std::string>(), "1920x1080");
    EXPECT_EQ(show["start_timecode"].as<std::string>(), "01:00:00:00");
    EXPECT_EQ(show["background"].as<std::string>(), "#000000");
    ASSERT_EQ(root["audio"].size(), 1u);
    EXPECT_EQ(root["audio"][0]["file"].as<std::string>(), "audio/temp.wav");
    EXPECT_EQ(root["audio"][0]["offset"].as<int>(), 0);

    // The frame rate stays a quoted string, so "23.976" can never become a float.
    EXPECT_NE(read_file(project_->project_file).find("frame_rate: \"24\""), std::string::npos);

    std::size_t index = 0;
    int with_dialogue = 0, with_notes = 0;
    ASSERT_EQ(root["sequences"].size(), 2u);
    for (const auto& sequence : root["sequences"]) {
        ASSERT_EQ(sequence["shots"].size(), 2u);
        for (const auto& shot : sequence["shots"]) {
            ASSERT_EQ(shot["panels"].size(), 4u);
            for (const auto& panel : shot["panels"]) {
                ASSERT_LT(index, project_->panels.size());
                const DemoPanel& expected = project_->panels[index++];
                EXPECT_EQ(sequence["name"].as<std::string>(), expected.sequence);
                EXPECT_EQ(shot["name"].as<std::string>(), expected.shot);
                EXPECT_EQ(panel["name"].as<std::string>(), expected.panel);
                EXPECT_EQ(panel["board"].as<std::string>(), expected.board_file);
                EXPECT_EQ(panel["frames"].as<long long>(), expected.frames);
                with_dialogue += panel["dialogue"].IsDefined();
                with_notes += panel["notes"].IsDefined();
            }
        }
    }
    EXPECT_EQ(index, project_->panels.size());
    EXPECT_GT(with_dialogue, 0);
    EXPECT_GT(with_notes, 0);
}

struct ExpectedBoard {
    std::string extension;
    int width, height, channels;
    OIIO::TypeDesc::BASETYPE pixel_type;
};

TEST_F(DemoProjectDefault, GivenVariedFormatsWeShouldReadEveryBoardInItsStatedFormatAndSize) {
    const ExpectedBoard cycle[] = {
        {".png", 1920, 1080, 3, OIIO::TypeDesc::UINT8},
        {".png", 2048, 858, 3, OIIO::TypeDesc::UINT16},
        {".jpg", 1280, 720, 3, OIIO::TypeDesc::UINT8},
        {".tif", 1000, 1000, 3, OIIO::TypeDesc::UINT8},
        {".exr", 1920, 1080, 3, OIIO::TypeDesc::HALF},
        {".png", 1600, 900, 4, OIIO::TypeDesc::UINT8},
        {".png", 1023, 767, 3, OIIO::TypeDesc::UINT8},
    };
    for (std::size_t i = 0; i < project_->panels.size(); ++i) {
        const DemoPanel& panel = project_->panels[i];
        const ExpectedBoard& expected = cycle[i % std::size(cycle)];
        SCOPED_TRACE(panel.board_file);
        EXPECT_EQ(fs::path(panel.board_file).extension(), expected.extension);
        OIIO::ImageBuf image((*dir_ / panel.board_file).string());
        ASSERT_TRUE(image.init_spec(image.name(), 0, 0)) << image.geterror();
        EXPECT_EQ(image.spec().width, expected.width);
        EXPECT_EQ(image.spec().height, expected.height);
        EXPECT_EQ(image.spec().nchannels, expected.channels);
        EXPECT_EQ(image.spec().format.basetype, expected.pixel_type);
    }
}

TEST_F(DemoProjectDefault, GivenAnyBoardItsCentreShouldBeTheFlatHintColour) {
    std::set<std::array<float, 3>> colours;
    for (std::size_t i = 0; i < project_->panels.size(); ++i) {
        const DemoPanel& panel = project_->panels[i];
        SCOPED_TRACE(panel.board_file);
        OIIO::ImageBuf image((*dir_ / panel.board_file).string());
        ASSERT_TRUE(image.read(0, 0, true, OIIO::TypeDesc::FLOAT)) << image.geterror();
        const bool linear = fs::path(panel.board_file).extension() == ".exr";
        const int w = image.spec().width, h = image.spec().height;
        // The centre and the corners of the middle 10% of the board.
        for (auto [fx, fy] :
             {std::pair{0.5, 0.5}, {0.45, 0.45}, {0.55, 0.45}, {0.45, 0.55}, {0.55, 0.55}}) {
            const int x = static_cast<int>(fx * w), y = static_cast<int>(fy * h);
            EXPECT_TRUE(colour_near(display_colour(image, x, y, linear), panel.label_colour_hint,
                                    kColourTolerance))
                << "at " << x << "," << y;
        }
        if (image.spec().nchannels == 4) {
            float centre[4], corner[4];
            image.getpixel(w / 2, h / 2, centre, 4);
            image.getpixel(1, 1, corner, 4);
            EXPECT_FLOAT_EQ(centre[3], 1.f) << "the colour block must be opaque";
            EXPECT_FLOAT_EQ(corner[3], 0.f) << "the outer margin must be transparent";
        }
        colours.insert(panel.label_colour_hint);
        if (i > 0) {
            const auto& previous = project_->panels[i - 1].label_colour_hint;
            float distance = 0;
            for (int c = 0; c < 3; ++c)
                distance = std::max(distance, std::fabs(previous[c] - panel.label_colour_hint[c]));
            EXPECT_GT(distance, 0.25f) << "neighbouring panels need clearly different colours";
        }
    }
    EXPECT_EQ(colours.size(), project_->panels.size()) << "every panel has its own colour";
}

TEST_F(DemoProjectDefault, GivenTheWavTrackWeShouldFindItsHeaderLengthAndOnsets) {
    const std::string bytes = read_file(*dir_ / project_->audio_file);
    ASSERT_GE(bytes.size(), 44u);
    EXPECT_EQ(bytes.substr(0, 4), "RIFF");
    EXPECT_EQ(bytes.substr(8, 8), "WAVEfmt ");
    EXPECT_EQ(little_endian(bytes, 20, 2), 1u);      // PCM
    EXPECT_EQ(little_endian(bytes, 22, 2), 2u);      // stereo
    EXPECT_EQ(little_endian(bytes, 24, 4), 48000u);  // sample rate
    EXPECT_EQ(little_endian(bytes, 34, 2), 16u);     // bits
    EXPECT_EQ(bytes.substr(36, 4), "data");
    const long long expected_samples = samples_for(project_->total_frames, 24, 1);
    EXPECT_EQ(little_endian(bytes, 40, 4), expected_samples * 4);
    EXPECT_EQ(bytes.size(), 44 + expected_samples * 4);

    const DecodedAudio audio = decode_audio(*dir_ / project_->audio_file);
    EXPECT_EQ(audio.sample_rate, 48000);
    EXPECT_EQ(audio.channels, 2);
    EXPECT_EQ(static_cast<long long>(audio.left.size()), expected_samples);
    expect_onsets_at_panel_starts(*project_, audio, 24, 1);
}

// ---- Other options -------------------------------------------------------------------

TEST(DemoProject, GivenFlacAtNtscRateWeShouldGetExactSampleCountAndOnsets) {
    ScratchDir dir("flac");
    DemoOptions options;
    options.frame_rate = "23.976";
    options.audio_format = "flac";
    options.varied_formats = false;
    options.width = 320;
    options.height = 180;
    options.sequences = 1;
    options.panels_per_shot = 5;
    options.seed = 7;
    const DemoProject project = write_demo_project(dir.path(), options);
    ASSERT_EQ(project.audio_file, "audio/temp.flac");

    const DecodedAudio audio = decode_audio(dir.path() / project.audio_file);
    EXPECT_EQ(audio.codec, "flac");
    EXPECT_EQ(audio.sample_rate, 48000);
    EXPECT_EQ(audio.channels, 2);
    EXPECT_EQ(static_cast<long long>(audio.left.size()),
              samples_for(project.total_frames, 24000, 1001));
    expect_onsets_at_panel_starts(project, audio, 24000, 1001);

    const YAML::Node root = YAML::LoadFile(project.project_file.string());
    EXPECT_EQ(root["show"]["frame_rate"].as<std::string>(), "23.976");
    EXPECT_EQ(root["show"]["resolution"].as<std::string>(), "320x180");
}

TEST(DemoProject, GivenUniformFormatsEveryBoardShouldBeAnRgbPngAtShowResolution) {
    ScratchDir dir("uniform");
    DemoOptions options;
    options.varied_formats = false;
    options.with_audio = false;
    options.width = 640;
    options.height = 360;
    const DemoProject project = write_demo_project(dir.path(), options);
    EXPECT_TRUE(project.audio_file.empty());
    EXPECT_EQ(project.tone_hz_first, 0.0);
    EXPECT_FALSE(fs::exists(dir.path() / "audio"));
    EXPECT_FALSE(YAML::LoadFile(project.project_file.string())["audio"].IsDefined());
    for (const DemoPanel& panel : project.panels) {
        SCOPED_TRACE(panel.board_file);
        EXPECT_EQ(fs::path(panel.board_file).extension(), ".png");
        OIIO::ImageBuf image((dir.path() / panel.board_file).string());
        ASSERT_TRUE(image.read(0, 0, true, OIIO::TypeDesc::FLOAT)) << image.geterror();
        EXPECT_EQ(image.spec().width, 640);
        EXPECT_EQ(image.spec().height, 360);
        EXPECT_EQ(image.spec().nchannels, 3);
        EXPECT_EQ(image.nativespec().format, OIIO::TypeDesc::UINT8);
        EXPECT_TRUE(colour_near(display_colour(image, 320, 180, false), panel.label_colour_hint,
                                kColourTolerance));
    }
}

TEST(DemoProject, GivenTheSameSeedWeShouldWriteIdenticalFiles) {
    ScratchDir first("first"), second("second"), other("other");
    DemoOptions options;
    options.width = 320;
    options.height = 180;
    options.varied_formats = false;
    options.sequences = 1;
    const DemoProject a = write_demo_project(first.path(), options);
    const DemoProject b = write_demo_project(second.path(), options);
    EXPECT_EQ(read_file(a.project_file), read_file(b.project_file));
    for (std::size_t i = 0; i < a.panels.size(); ++i)
        EXPECT_EQ(read_file(first.path() / a.panels[i].board_file),
                  read_file(second.path() / b.panels[i].board_file))
            << a.panels[i].board_file;
    EXPECT_EQ(read_file(first.path() / a.audio_file), read_file(second.path() / b.audio_file));

    options.seed = 2;
    const DemoProject c = write_demo_project(other.path(), options);
    EXPECT_NE(read_file(a.project_file), read_file(c.project_file));
}

TEST(DemoProject, GivenBadOptionsWeShouldBeToldEveryProblemAtOnce) {
    ScratchDir dir("bad");
    DemoOptions options;
    options.sequences = 0;
    options.frame_rate = "24fps";
    options.audio_format = "mp3";
    options.width = 1921;
    try {
        write_demo_project(dir.path(), options);
        FAIL() << "expected std::invalid_argument";
    } catch (const std::invalid_argument& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("sequences"), std::string::npos) << message;
        EXPECT_NE(message.find("24fps"), std::string::npos) << message;
        EXPECT_NE(message.find("mp3"), std::string::npos) << message;
        EXPECT_NE(message.find("1921x1080"), std::string::npos) << message;
    }
    EXPECT_FALSE(fs::exists(dir.path() / "project.yaml"));
}

}  // namespace
}  // namespace storyreel::demo
