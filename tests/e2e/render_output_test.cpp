// Given a generated demo project, a build should produce movies that decode to the cut:
// right frame counts, properties, pixels of each panel and audio in sync.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "demo/demo_project.h"
#include "pipeline/block_checksum.h"
#include "pipeline/build.h"
#include "stages/builtin_stages.h"
#include "tests/support/movie_probe.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::decode_audio_mono;
using testing::decode_video;
using testing::probe_movie;
using testing::RgbPicture;

constexpr const char* kAllCodecsPipeline = R"(pipeline: 1
name: test-all-codecs
settings: {frames_in_flight: 3}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: hq}}
  - {name: dnxhr, type: encode, needs: [conform, audio], params: {codec: dnxhr, profile: sq}}
  - {name: h264, type: encode, needs: [conform, audio], params: {codec: h264, crf: 16, preset: veryfast}}
)";

std::string run_command(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    pclose(pipe);
    return output;
}

struct BuiltDemo {
    testing::TempDir dir;
    demo::DemoProject project;
    BuildResult result;
    std::map<std::string, std::filesystem::path> movies;  // "sq010_prores" -> path
};

/// Generates a small demo (varied formats: 8/16-bit PNG, JPEG, TIFF, linear EXR, alpha,
/// odd sizes) and builds it with the given pipeline text.
std::unique_ptr<BuiltDemo> build_demo(const demo::DemoOptions& options,
                                      const std::string& pipeline) {
    auto built = std::make_unique<BuiltDemo>();
    built->project = demo::write_demo_project(built->dir.path() / "project", options);
    const auto pipeline_file = built->dir.path() / "pipeline.yaml";
    std::ofstream(pipeline_file) << pipeline;
    BuildRequest request;
    request.project = built->project.project_file;
    request.pipeline = pipeline_file;
    request.output_dir = built->dir.path() / "out";
    built->result = run_build(request, builtin_stage_registry());
    for (const auto& output : built->result.outputs)
        built->movies[output.unit + "_" + output.stage] = output.path;
    return built;
}

demo::DemoOptions small_demo(const std::string& rate) {
    demo::DemoOptions options;
    options.sequences = 2;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 3;
    options.min_hold_frames = 6;
    options.max_hold_frames = 14;
    options.width = 640;
    options.height = 360;
    options.frame_rate = rate;
    return options;
}

std::map<std::string, long long> frames_per_sequence(const demo::DemoProject& project) {
    std::map<std::string, long long> frames;
    for (const auto& panel : project.panels) frames[panel.sequence] += panel.frames;
    return frames;
}

class RenderOutput : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        demo_ = build_demo(small_demo("24"), kAllCodecsPipeline).release();
    }
    static void TearDownTestSuite() {
        delete demo_;
        demo_ = nullptr;
    }
    static BuiltDemo* demo_;
};
BuiltDemo* RenderOutput::demo_ = nullptr;

TEST_F(RenderOutput, WritesOneMoviePerSequenceAndCodec) {
    EXPECT_EQ(demo_->result.outputs.size(), 6u);
    for (const char* name :
         {"sq010_prores", "sq010_dnxhr", "sq010_h264", "sq020_prores", "sq020_dnxhr", "sq020_h264"})
        EXPECT_TRUE(demo_->movies.count(name)) << name;
    EXPECT_EQ(demo_->movies["sq010_prores"].extension(), ".mov");
    EXPECT_EQ(demo_->movies["sq010_h264"].extension(), ".mp4");
    EXPECT_TRUE(std::filesystem::exists(demo_->result.report));
}

TEST_F(RenderOutput, FrameCountEqualsSumOfHeldFrames) {
    const auto expected = frames_per_sequence(demo_->project);
    for (const auto& [name, path] : demo_->movies) {
        const std::string sequence = name.substr(0, 5);
        const auto decoded = decode_video(
            path, [](std::int64_t) { return false; }, [](std::int64_t, const RgbPicture&) {});
        EXPECT_EQ(decoded, expected.at(sequence)) << name;
        // Cross-check with a tool nobody here wrote.
        const std::string counted = run_command(
            "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
            "stream=nb_read_frames -of csv=p=0 '" +
            path.string() + "'");
        EXPECT_EQ(std::atoll(counted.c_str()), expected.at(sequence)) << name;
    }
}

TEST_F(RenderOutput, CodecProfilePixelFormatColourAndTimecodeAreWhatWasAsked) {
    struct Expect {
        const char* suffix;
        const char* codec;
        const char* profile;
        const char* pix_fmt;
        const char* audio;
    };
    for (const Expect& e : {Expect{"prores", "prores", "HQ", "yuv422p10le", "pcm_s24le"},
                            Expect{"dnxhr", "dnxhd", "DNXHR SQ", "yuv422p", "pcm_s24le"},
                            Expect{"h264", "h264", "High", "yuv420p", "aac"}}) {
        const auto info = probe_movie(demo_->movies.at(std::string("sq010_") + e.suffix));
        SCOPED_TRACE(e.suffix);
        EXPECT_EQ(info.video.codec, e.codec);
        EXPECT_EQ(info.video.profile, e.profile);
        EXPECT_EQ(info.video.pix_fmt, e.pix_fmt);
        EXPECT_EQ(info.video.color_space, "bt709");
        EXPECT_EQ(info.video.color_primaries, "bt709");
        EXPECT_EQ(info.video.color_trc, "bt709");
        EXPECT_EQ(info.video.color_range, "tv");
        EXPECT_EQ(info.video.width, 640);
        EXPECT_EQ(info.video.height, 360);
        EXPECT_EQ(info.video.rate_num, 24);
        EXPECT_EQ(info.video.rate_den, 1);
        EXPECT_EQ(info.video.timecode, "01:00:00:00");
        EXPECT_TRUE(info.has_audio);
        EXPECT_EQ(info.audio_codec, e.audio);
        EXPECT_EQ(info.audio_sample_rate, 48000);
        EXPECT_EQ(info.audio_channels, 2);
    }
    EXPECT_EQ(probe_movie(demo_->movies.at("sq020_prores")).video.reel, "sq020");
    const std::string ffprobe = run_command(
        "ffprobe -v error -show_entries stream=codec_tag_string:stream_tags=timecode "
        "-of csv=p=0 '" +
        demo_->movies.at("sq010_prores").string() + "'");
    EXPECT_NE(ffprobe.find("apch"), std::string::npos) << ffprobe;  // ProRes 422 HQ
    EXPECT_NE(ffprobe.find("tmcd,01:00:00:00"), std::string::npos) << ffprobe;
}

/// Checks the centre of the first and last frame of every panel shows that panel's colour.
void expect_panels_in_place(const BuiltDemo& demo, const std::string& suffix, double tolerance) {
    for (const std::string sequence : {"sq010", "sq020"}) {
        std::map<std::int64_t, std::array<float, 3>> expected;  // frame in movie -> colour
        long long start = -1;
        for (const auto& panel : demo.project.panels) {
            if (panel.sequence != sequence) continue;
            if (start < 0) start = panel.start_frame;
            expected[panel.start_frame - start] = panel.label_colour_hint;
            expected[panel.start_frame - start + panel.frames - 1] = panel.label_colour_hint;
        }
        const auto path = demo.movies.at(sequence + "_" + suffix);
        int checked = 0;
        decode_video(
            path, [&](std::int64_t n) { return expected.count(n) > 0; },
            [&](std::int64_t n, const RgbPicture& picture) {
                const auto mean = picture.mean_around(picture.width / 2, picture.height / 2, 3);
                for (int c = 0; c < 3; ++c)
                    EXPECT_NEAR(mean[c], expected[n][c] * 255.0, tolerance)
                        << path << " frame " << n << " channel " << c;
                ++checked;
            });
        EXPECT_EQ(checked, static_cast<int>(expected.size())) << path;
    }
}

TEST_F(RenderOutput, EachPanelShowsAtItsFirstAndLastFrameProRes) {
    expect_panels_in_place(*demo_, "prores", 1.0);
}
TEST_F(RenderOutput, EachPanelShowsAtItsFirstAndLastFrameDNxHR) {
    expect_panels_in_place(*demo_, "dnxhr", 1.5);
}
TEST_F(RenderOutput, EachPanelShowsAtItsFirstAndLastFrameH264) {
    expect_panels_in_place(*demo_, "h264", 2.0);
}

TEST_F(RenderOutput, LetterboxBarsAreTheBackgroundColour) {
    // The 2.39:1 board is letterboxed in a 16:9 frame: the top rows are black bars.
    const auto path = demo_->movies.at("sq010_prores");
    long long frame_of_wide_board = -1;
    for (const auto& panel : demo_->project.panels)
        if (panel.sequence == "sq010" && panel.board_file.find("p002") != std::string::npos &&
            panel.shot == "sh010")
            frame_of_wide_board = panel.start_frame;
    ASSERT_GE(frame_of_wide_board, 0);
    decode_video(
        path, [&](std::int64_t n) { return n == frame_of_wide_board; },
        [&](std::int64_t, const RgbPicture& picture) {
            const auto bar = picture.mean_around(picture.width / 2, 4, 2);
            for (int c = 0; c < 3; ++c) EXPECT_LT(bar[c], 6.0);
        });
}

/// Every panel's tone burst starts within one frame of the panel's first frame.
void expect_audio_in_sync(const BuiltDemo& demo, const std::string& sequence,
                          const std::string& suffix, double frames_per_second) {
    const auto samples = decode_audio_mono(demo.movies.at(sequence + "_" + suffix));
    const double samples_per_frame = 48000.0 / frames_per_second;
    long long start = -1;
    long long total = 0;
    for (const auto& panel : demo.project.panels) {
        if (panel.sequence != sequence) continue;
        if (start < 0) start = panel.start_frame;
        const long long frame = panel.start_frame - start;
        total += panel.frames;
        const auto from = static_cast<std::int64_t>((frame - 0.5) * samples_per_frame);
        const auto onset = testing::find_onset(samples, from, 0.1f);
        ASSERT_GE(onset, 0) << suffix << " panel at frame " << frame;
        EXPECT_NEAR(onset / samples_per_frame, static_cast<double>(frame), 1.0)
            << suffix << " " << sequence << " panel at frame " << frame;
    }
    // Exactly the cut's length, no padding (AAC ends within one packet).
    const double expected = total * samples_per_frame;
    EXPECT_NEAR(static_cast<double>(samples.size()), expected, suffix == "h264" ? 1024 : 1)
        << suffix;
}

TEST_F(RenderOutput, AudioEventsLandOnTheirPanelsFirstFrames) {
    for (const std::string sequence : {"sq010", "sq020"})
        for (const std::string suffix : {"prores", "h264"})
            expect_audio_in_sync(*demo_, sequence, suffix, 24.0);
}

TEST_F(RenderOutput, BuildReportListsOutputsAndInputs) {
    std::ifstream in(demo_->result.report);
    const auto report = nlohmann::json::parse(in);
    ASSERT_EQ(report["outputs"].size(), 6u);
    for (const auto& output : report["outputs"]) {
        EXPECT_TRUE(std::filesystem::exists(output["path"].get<std::string>()));
        EXPECT_EQ(output["start_timecode"], "01:00:00:00");
        EXPECT_EQ(output["size_bytes"].get<std::uintmax_t>(),
                  std::filesystem::file_size(output["path"].get<std::string>()));
        // MOVs are checksummed in 8 MiB blocks, MP4s whole; either way it is the file's.
        const std::string path = output["path"].get<std::string>(), checksum = output["checksum"];
        const bool mov = std::filesystem::path(path).extension() == ".mov";
        EXPECT_EQ(checksum.rfind(mov ? "xxh128-8m:" : "xxh128:", 0), 0u)
            << path << ": " << checksum;
        EXPECT_EQ(file_checksum_like(path, checksum), checksum) << path;
    }
    std::size_t boards = 0;
    for (const auto& input : report["inputs"])
        if (input["role"] == "board") ++boards;
    EXPECT_EQ(boards, demo_->project.panels.size());
    EXPECT_EQ(report["timing"].size(), demo_->project.panels.size());
}

constexpr const char* kProResAndH264Pipeline = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: proxy}}
  - {name: h264, type: encode, needs: [conform, audio], params: {codec: h264, crf: 16}}
)";

TEST(RenderOutputRates, NtscFilmRate23976KeepsFramesPixelsAndSync) {
    auto options = small_demo("23.976");
    options.sequences = 1;
    auto demo = build_demo(options, kProResAndH264Pipeline);
    const auto info = probe_movie(demo->movies.at("sq010_prores"));
    EXPECT_EQ(info.video.rate_num, 24000);
    EXPECT_EQ(info.video.rate_den, 1001);
    EXPECT_EQ(info.video.timecode, "01:00:00:00");
    const auto decoded = decode_video(
        demo->movies.at("sq010_h264"), [](std::int64_t) { return false; },
        [](std::int64_t, const RgbPicture&) {});
    EXPECT_EQ(decoded, frames_per_sequence(demo->project).at("sq010"));
    expect_audio_in_sync(*demo, "sq010", "prores", 24000.0 / 1001.0);
    expect_audio_in_sync(*demo, "sq010", "h264", 24000.0 / 1001.0);
}

TEST(RenderOutputRates, Pal25KeepsFramesPixelsAndSync) {
    auto options = small_demo("25");
    options.sequences = 1;
    auto demo = build_demo(options, kProResAndH264Pipeline);
    const auto info = probe_movie(demo->movies.at("sq010_prores"));
    EXPECT_EQ(info.video.rate_num, 25);
    EXPECT_EQ(info.video.rate_den, 1);
    std::map<std::int64_t, std::array<float, 3>> firsts;
    for (const auto& panel : demo->project.panels)
        firsts[panel.start_frame] = panel.label_colour_hint;
    decode_video(
        demo->movies.at("sq010_prores"), [&](std::int64_t n) { return firsts.count(n) > 0; },
        [&](std::int64_t n, const RgbPicture& picture) {
            const auto mean = picture.mean_around(picture.width / 2, picture.height / 2, 3);
            for (int c = 0; c < 3; ++c) EXPECT_NEAR(mean[c], firsts[n][c] * 255.0, 5.0);
        });
    expect_audio_in_sync(*demo, "sq010", "prores", 25.0);
}

}  // namespace
}  // namespace storyreel
