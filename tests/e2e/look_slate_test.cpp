// The slate, through the storyreel command: given the same demo project built with and
// without a 12-frame slate, the slated movie should start with 12 frames of card (unlike
// the cut's first frame), then decode to exactly the unslated movie's frames; its
// timecode should start 12 frames before the cut's, with silence under the card and every
// panel's tone burst on its panel's first frame; the cut lists should be the cut's (the
// EDL unchanged) while pointing into the longer movie; and a bad slate should be refused
// before any work with the pipeline file's line.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "demo/demo_project.h"
#include "editorial/xml_tree.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/look_build.h"
#include "tests/support/slurm_cluster.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::read_file;

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RgbPicture;

constexpr int kSlateFrames = 12;
constexpr double kSamplesPerFrame = 48000.0 / 24.0;

std::string pipeline_text(const std::string& slate_params) {
    std::string text = R"(pipeline: 1
settings: {frames_in_flight: 3}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
)";
    const std::string needs = slate_params.empty() ? "[conform, audio]" : "[conform, audio, slate]";
    if (!slate_params.empty())
        text += "  - name: slate\n    type: slate\n    params: " + slate_params + "\n";
    text += "  - {name: prores, type: encode, needs: " + needs +
            ", params: {codec: prores, profile: proxy}}\n";
    text +=
        "  - {name: review, type: encode, needs: " + needs + ", params: {codec: h264, crf: 16}}\n";
    text += "  - {name: lists, type: cut_lists, params: {movie: prores}}\n";
    return text;
}

class Slate : public ::testing::Test {
  public:
    static void SetUpTestSuite() {
        dir_ = new testing::TempDir();
        demo::DemoOptions options = testing::tiny_look_demo();
        options.with_audio = true;  // a tone burst on every panel's first frame
        project_ =
            new demo::DemoProject(demo::write_demo_project(dir_->path() / "project", options));
        build("plain", "");
        build("slated", "{frames: " + std::to_string(kSlateFrames) +
                            ", date: 2026-11-24, version: v007, notes: first pass}");
    }
    static void TearDownTestSuite() {
        delete project_;
        delete dir_;
    }

    static void build(const std::string& name, const std::string& slate_params) {
        const fs::path pipeline = dir_->path() / (name + ".yaml");
        std::ofstream(pipeline) << pipeline_text(slate_params);
        const auto result =
            testing::run_storyreel({"build", "--project", project_->project_file.string(),
                                    "--pipeline", pipeline.string(), "--out", out(name).string()});
        ASSERT_EQ(result.exit_code, kExitOk) << testing::describe(result);
    }
    static fs::path out(const std::string& name) { return dir_->path() / name; }

    static testing::TempDir* dir_;
    static demo::DemoProject* project_;
};
testing::TempDir* Slate::dir_ = nullptr;
demo::DemoProject* Slate::project_ = nullptr;

const testing::Region kWholeFrame{0, 0, 320, 180};

void card_frames_come_first_then_exactly_the_cut() {
    for (const std::string movie : {"sq010_prores.mov", "sq010_review.mp4"}) {
        const auto plain = testing::decoded_frame_hashes(Slate::out("plain") / movie);
        const auto slated = testing::decoded_frame_hashes(Slate::out("slated") / movie);
        ASSERT_EQ(static_cast<long long>(plain.size()), Slate::project_->total_frames) << movie;
        ASSERT_EQ(slated.size(), plain.size() + kSlateFrames) << movie;
        EXPECT_TRUE(std::equal(plain.begin(), plain.end(), slated.begin() + kSlateFrames))
            << movie << ": the frames after the slate differ from the unslated movie";
    }
    const auto plain = testing::decode_all_frames(Slate::out("plain") / "sq010_prores.mov");
    const auto slated = testing::decode_all_frames(Slate::out("slated") / "sq010_prores.mov");
    for (int i = 0; i < kSlateFrames; ++i) {
        EXPECT_GT(testing::mean_difference(slated[i], plain[i], kWholeFrame), 20.0)
            << "slate frame " << i;
        EXPECT_LT(testing::mean_difference(slated[i], slated[0], kWholeFrame), 0.5)
            << "slate frame " << i;
    }
    // Text on the card: light pixels on the dark background, left of centre.
    int light = 0;
    for (int y = 0; y < 180; ++y)
        for (int x = 0; x < 160; ++x) light += slated[0].at(x, y)[0] > 128 ? 1 : 0;
    EXPECT_GT(light, 200) << "the card shows no text";
}

void movie_starts_the_slate_before_the_cuts_timecode() {
    const auto info = testing::probe_movie(Slate::out("slated") / "sq010_prores.mov");
    EXPECT_EQ(info.video.timecode, "00:59:59:12");
    const json report = json::parse(read_file(Slate::out("slated") / "build.json"));
    int movies = 0;
    for (const auto& output : report["outputs"]) {
        if (output["kind"] == "movie") {
            ++movies;
            EXPECT_EQ(output["frame_count"], Slate::project_->total_frames + kSlateFrames);
            EXPECT_EQ(output["start_timecode"], "00:59:59:12");
            EXPECT_EQ(output["slate_frames"], kSlateFrames);  // a number
        } else {
            EXPECT_EQ(output["frame_count"], Slate::project_->total_frames) << output["path"];
            EXPECT_EQ(output["start_timecode"], "01:00:00:00") << output["path"];
        }
    }
    EXPECT_EQ(movies, 2);
}

void silence_under_the_card_then_every_burst_on_its_panel() {
    for (const std::string movie : {"sq010_prores.mov", "sq010_review.mp4"}) {
        const auto samples = testing::decode_audio_mono(Slate::out("slated") / movie);
        const auto slate_samples = static_cast<std::size_t>(kSlateFrames * kSamplesPerFrame);
        ASSERT_GT(samples.size(), slate_samples);
        const float loudest =
            std::abs(*std::max_element(samples.begin(), samples.begin() + slate_samples,
                                       [](float a, float b) { return std::abs(a) < std::abs(b); }));
        EXPECT_LT(loudest, 0.01f) << movie << ": sound under the slate";
        for (const auto& panel : Slate::project_->panels) {
            const double frame = static_cast<double>(kSlateFrames + panel.start_frame);
            const auto onset = testing::find_onset(
                samples, static_cast<std::int64_t>((frame - 0.5) * kSamplesPerFrame), 0.1f);
            ASSERT_GE(onset, 0) << movie << " " << panel.panel;
            EXPECT_NEAR(onset / kSamplesPerFrame, frame, 1.0)
                << movie << " " << panel.shot << "/" << panel.panel;
        }
        const double expected = (Slate::project_->total_frames + kSlateFrames) * kSamplesPerFrame;
        EXPECT_NEAR(static_cast<double>(samples.size()), expected,
                    movie.ends_with(".mp4") ? 1024 : 1)
            << movie;
    }
}

/// An FCPXML time ("7199/2s", "3s") in frames at 24 fps.
std::int64_t fcpxml_frames(std::string text) {
    text.pop_back();  // 's'
    const auto slash = text.find('/');
    const std::int64_t num = std::stoll(text.substr(0, slash));
    const std::int64_t den = slash == std::string::npos ? 1 : std::stoll(text.substr(slash + 1));
    return num * 24 / den;
}

void cut_lists_describe_the_cut_inside_the_longer_movie() {
    // The EDL's source timecodes are the movie's own: with the slate before 01:00:00:00 they
    // do not move, so the list is the same as without a slate.
    EXPECT_EQ(read_file(Slate::out("slated") / "sq010.edl"),
              read_file(Slate::out("plain") / "sq010.edl"));
    const std::int64_t start = 24 * 3600, cut = Slate::project_->total_frames;
    const json plain_cut = json::parse(read_file(Slate::out("plain") / "sq010.otio"));
    const json slated_cut = json::parse(read_file(Slate::out("slated") / "sq010.otio"));
    EXPECT_EQ(slated_cut["tracks"]["children"][0], plain_cut["tracks"]["children"][0])
        << "the panels moved";
    // Every clip into the movie (the cut's audio track, the movie timeline's video and
    // audio) plays the cut's timecodes out of media that starts with the slate.
    const json movie = json::parse(read_file(Slate::out("slated") / "sq010_movie.otio"));
    for (const auto* track : {&slated_cut["tracks"]["children"][1], &movie["tracks"]["children"][0],
                              &movie["tracks"]["children"][1]}) {
        const auto& clip = (*track)["children"][0];
        EXPECT_EQ(clip["source_range"]["start_time"]["value"].get<double>(), start);
        EXPECT_EQ(clip["source_range"]["duration"]["value"].get<double>(), cut);
        const auto& media = clip["media_references"]["DEFAULT_MEDIA"]["available_range"];
        EXPECT_EQ(media["start_time"]["value"].get<double>(), start - kSlateFrames);
        EXPECT_EQ(media["duration"]["value"].get<double>(), cut + kSlateFrames);
    }

    const fs::path fcpxml = Slate::out("slated") / "sq010.fcpxml";
    int status = -1;
    const std::string lint =
        testing::run_shell("xmllint --nonet --noout --dtdvalid '" STORYREEL_SHARED_DIR
                           "/schemas/fcpxml/FCPXMLv1_10.dtd' '" +
                               fcpxml.string() + "'",
                           &status);
    EXPECT_EQ(status, 0) << lint;
    const XmlDocument document = parse_xml_file(fcpxml);
    const xmlNode* asset =
        first_child(first_child(xmlDocGetRootElement(document.get()), "resources"), "asset");
    EXPECT_EQ(attribute_of(asset, "name"), "sq010_prores");
    EXPECT_EQ(fcpxml_frames(attribute_of(asset, "start")), start - kSlateFrames);
    EXPECT_EQ(fcpxml_frames(attribute_of(asset, "duration")), cut + kSlateFrames);

    const XmlDocument xmeml = parse_xml_file(Slate::out("slated") / "sq010.xml");
    const xmlNode* sequence = first_child(xmlDocGetRootElement(xmeml.get()), "sequence");
    const xmlNode* audio_item = first_child(
        first_child(first_child(first_child(sequence, "media"), "audio"), "track"), "clipitem");
    EXPECT_EQ(text_of(first_child(audio_item, "in")), std::to_string(kSlateFrames));
    EXPECT_EQ(text_of(first_child(audio_item, "out")), std::to_string(kSlateFrames + cut));
    const xmlNode* file_timecode = first_child(first_child(audio_item, "file"), "timecode");
    EXPECT_EQ(text_of(first_child(file_timecode, "string")), "00:59:59:12");
}

void each_panel_is_where_the_cut_lists_put_it_in_the_movie() {
    // Movie frame of a record timecode = timecode - the movie's first timecode (00:59:59:12).
    const auto frames = testing::decode_all_frames(Slate::out("slated") / "sq010_prores.mov");
    for (const auto& panel : Slate::project_->panels) {
        const auto index = static_cast<std::size_t>(kSlateFrames + panel.start_frame);
        ASSERT_LT(index + panel.frames - 1, frames.size());
        for (const auto at : {index, index + static_cast<std::size_t>(panel.frames) - 1}) {
            const auto mean = frames[at].mean_around(160, 90, 3);
            for (int c = 0; c < 3; ++c)
                EXPECT_NEAR(mean[c], panel.label_colour_hint[c] * 255.0, 6.0)
                    << panel.panel << " frame " << at;
        }
    }
}

// One pair of builds (the slow part) for every check; each check says which failed.
TEST_F(Slate, SlatedMovieAgainstTheSameBuildWithoutSlate) {
    const std::pair<const char*, void (*)()> checks[] = {
        {"card frames come first then exactly the cut",
         card_frames_come_first_then_exactly_the_cut},
        {"movie starts the slate before the cuts timecode",
         movie_starts_the_slate_before_the_cuts_timecode},
        {"silence under the card then every burst on its panel",
         silence_under_the_card_then_every_burst_on_its_panel},
        {"cut lists describe the cut inside the longer movie",
         cut_lists_describe_the_cut_inside_the_longer_movie},
        {"each panel is where the cut lists put it in the movie",
         each_panel_is_where_the_cut_lists_put_it_in_the_movie},
    };
    for (const auto& [name, check] : checks) {
        SCOPED_TRACE(name);
        check();
    }
}

struct BadSlate {
    std::string params;
    std::string message;
};

TEST(BadSlateConfig, IsRefusedWithItsLineAndNothingWritten) {
    testing::TempDir dir;
    const auto project =
        demo::write_demo_project(dir.path() / "project", testing::tiny_look_demo());
    const BadSlate cases[] = {{"{fields: [show, shoe]}", "unknown slate field 'shoe'"},
                              {"{frames: 0}", "a slate lasts 1 to 1440 frames"},
                              {"{seconds: -2}", "a slate lasts more than 0"},
                              {"{frames: 24, seconds: 1}", "as frames or seconds, not both"},
                              {"{frames: 1000000}", "a slate lasts 1 to 1440 frames"},
                              {"{colour: red}", "colour"}};
    int index = 0;
    for (const auto& bad : cases) {
        SCOPED_TRACE(bad.params);
        std::string text = pipeline_text(bad.params);
        text.replace(text.find("  - {name: audio, type: audio}\n"), 31, "");
        for (std::size_t at; (at = text.find("conform, audio")) != std::string::npos;)
            text.replace(at, 14, "conform");
        const fs::path pipeline = dir.path() / ("pipeline" + std::to_string(index) + ".yaml");
        const fs::path out = dir.path() / ("out" + std::to_string(index++));
        std::ofstream(pipeline) << text;
        const auto result =
            testing::run_storyreel({"build", "--project", project.project_file.string(),
                                    "--pipeline", pipeline.string(), "--out", out.string()});
        EXPECT_EQ(result.exit_code, kExitInvalidConfig) << testing::describe(result);
        EXPECT_NE(result.err.find(pipeline.filename().string() + ":8:"), std::string::npos)
            << testing::describe(result);
        EXPECT_NE(result.err.find(bad.message), std::string::npos) << testing::describe(result);
        EXPECT_TRUE(testing::list_files_recursive(out).empty());
    }
}

}  // namespace
}  // namespace storyreel
