// Given a cut-list timeline, the OTIO we write should use OTIO's schema names, put the
// start timecode in global_start_time, reference the boards and the movie, carry dialogue
// as markers, and read back to the same cut; foreign OTIO (gaps, transitions, Clip.1,
// other rates) should read as the editor cut it.

#include <gtest/gtest.h>

#include <fstream>

#include "editorial/editorial_cut.h"
#include "editorial/otio_writer.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

CutListTimeline sample_timeline(const std::string& rate_text, bool drop_frame) {
    CutListTimeline timeline;
    timeline.rate = *FrameRate::parse(rate_text);
    timeline.start = Timecode(3600 * timeline.rate.timecode_base(), timeline.rate, drop_frame);
    timeline.title = "Show sq010";
    timeline.unit = "sq010";
    timeline.width = 320;
    timeline.height = 180;
    timeline.movie = {"/out/sq010 prores.mov", "sq010", true};
    std::int64_t at = 0;
    for (int n = 1; n <= 4; ++n) {
        const std::int64_t hold = 7 * n + 3;
        timeline.clips.push_back({"sq010/sh010/p00" + std::to_string(n),
                                  "/boards/board " + std::to_string(n) + ".png", at, hold,
                                  n == 2 ? "Where is it?" : ""});
        at += hold;
    }
    timeline.frame_count = at;
    return timeline;
}

fs::path write_json(const fs::path& dir, const json& document) {
    const fs::path file = dir / "cut.otio";
    std::ofstream(file) << document.dump(4);
    return file;
}

class OtioAtRate : public ::testing::TestWithParam<std::pair<const char*, bool>> {};

TEST_P(OtioAtRate, WritesOtioSchemasAndReadsBackTheSameCut) {
    const CutListTimeline timeline = sample_timeline(GetParam().first, GetParam().second);
    const json otio = make_otio_cut_timeline(timeline);
    EXPECT_EQ(otio["OTIO_SCHEMA"], "Timeline.1");
    EXPECT_EQ(otio["global_start_time"]["OTIO_SCHEMA"], "RationalTime.1");
    EXPECT_EQ(otio["global_start_time"]["value"].get<double>(), timeline.start.frames());
    EXPECT_DOUBLE_EQ(otio["global_start_time"]["rate"].get<double>(),
                     static_cast<double>(timeline.rate.num) / timeline.rate.den);
    EXPECT_EQ(otio["tracks"]["OTIO_SCHEMA"], "Stack.1");
    const auto& tracks = otio["tracks"]["children"];
    ASSERT_EQ(tracks.size(), 2u);
    EXPECT_EQ(tracks[0]["kind"], "Video");
    EXPECT_EQ(tracks[1]["kind"], "Audio");
    const auto& clips = tracks[0]["children"];
    ASSERT_EQ(clips.size(), timeline.clips.size());
    for (std::size_t i = 0; i < clips.size(); ++i) {
        EXPECT_EQ(clips[i]["OTIO_SCHEMA"], "Clip.2");
        const auto& reference = clips[i]["media_references"]["DEFAULT_MEDIA"];
        EXPECT_EQ(reference["OTIO_SCHEMA"], "ExternalReference.1");
        EXPECT_EQ(reference["target_url"],
                  "file:///boards/board%20" + std::to_string(i + 1) + ".png");
        EXPECT_EQ(clips[i]["source_range"]["OTIO_SCHEMA"], "TimeRange.1");
        EXPECT_EQ(clips[i]["source_range"]["duration"]["value"].get<double>(),
                  timeline.clips[i].frames);
    }
    ASSERT_EQ(clips[1]["markers"].size(), 1u);
    EXPECT_EQ(clips[1]["markers"][0]["OTIO_SCHEMA"], "Marker.2");
    EXPECT_EQ(clips[1]["markers"][0]["name"], "Where is it?");
    const auto& audio = tracks[1]["children"][0];
    EXPECT_EQ(audio["media_references"]["DEFAULT_MEDIA"]["target_url"], "sq010 prores.mov");
    EXPECT_EQ(audio["source_range"]["duration"]["value"].get<double>(), timeline.frame_count);

    testing::TempDir dir;
    Diagnostics diagnostics;
    const auto cut = read_otio(write_json(dir.path(), otio), timeline.rate, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), timeline.clips.size());
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        EXPECT_EQ(cut->events[i].names.front(), timeline.clips[i].name);
        EXPECT_EQ(cut->events[i].record_in,
                  timeline.start.frames() + timeline.clips[i].record_start);
        EXPECT_EQ(cut->events[i].frames(), timeline.clips[i].frames);
        EXPECT_GT(cut->events[i].where.line, 0);
    }
}

INSTANTIATE_TEST_SUITE_P(Rates, OtioAtRate,
                         ::testing::Values(std::pair{"24", false}, std::pair{"23.976", false},
                                           std::pair{"25", false}, std::pair{"29.97", true}),
                         [](const auto& info) {
                             std::string name = info.param.first;
                             for (char& c : name)
                                 if (c == '.') c = '_';
                             return name;
                         });

TEST(OtioMovieTimeline, HoldsTheMovieAsItsSingleClip) {
    const CutListTimeline timeline = sample_timeline("25", false);
    const json otio = make_otio_movie_timeline(timeline);
    const auto& video = otio["tracks"]["children"][0]["children"];
    ASSERT_EQ(video.size(), 1u);
    EXPECT_EQ(video[0]["media_references"]["DEFAULT_MEDIA"]["target_url"], "sq010 prores.mov");
    EXPECT_EQ(video[0]["source_range"]["start_time"]["value"].get<double>(), 90000.0);
    EXPECT_EQ(video[0]["source_range"]["duration"]["value"].get<double>(), timeline.frame_count);
}

// Given a 6-frame dissolve into the 3rd panel (3 frames each side of the cut) and a fade
// out at the end, the video track should hold Transition.1 objects between the clips
// (SMPTE_Dissolve, in/out offsets the frames before/after the cut) while the clips keep
// their holds, and read back to the same cut (at 23.976).
TEST(OtioTransitions, SitBetweenTheClipsAndReadBackToTheSameCut) {
    CutListTimeline timeline = sample_timeline("23.976", false);
    timeline.transitions = {
        {CutListTransitionKind::Dissolve, 2, timeline.clips[2].record_start, 3, 3},
        {CutListTransitionKind::FadeOut, 3, timeline.frame_count, 5, 0}};
    const json otio = make_otio_cut_timeline(timeline);
    const auto& video = otio["tracks"]["children"][0]["children"];
    // Clips, the dissolve between two of them, and the fade out followed by a zero-length
    // Gap (black), so no reader takes the fade for a blend into another panel.
    ASSERT_EQ(video.size(), timeline.clips.size() + 3);
    const auto& dissolve = video[2];
    EXPECT_EQ(dissolve["OTIO_SCHEMA"], "Transition.1");
    EXPECT_EQ(dissolve["transition_type"], "SMPTE_Dissolve");
    EXPECT_EQ(dissolve["in_offset"]["value"].get<double>(), 3.0);
    EXPECT_EQ(dissolve["out_offset"]["value"].get<double>(), 3.0);
    EXPECT_DOUBLE_EQ(dissolve["in_offset"]["rate"].get<double>(), 24000.0 / 1001.0);
    EXPECT_EQ(video[3]["name"], timeline.clips[2].name);
    const auto& fade_out = video[video.size() - 2];
    EXPECT_EQ(fade_out["OTIO_SCHEMA"], "Transition.1");
    EXPECT_EQ(fade_out["in_offset"]["value"].get<double>(), 5.0);
    EXPECT_EQ(fade_out["out_offset"]["value"].get<double>(), 0.0);
    EXPECT_EQ(video.back()["OTIO_SCHEMA"], "Gap.1");
    EXPECT_EQ(video.back()["source_range"]["duration"]["value"].get<double>(), 0.0);
    testing::TempDir dir;
    Diagnostics diagnostics;
    const auto cut = read_otio(write_json(dir.path(), otio), timeline.rate, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), timeline.clips.size());
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        EXPECT_EQ(cut->events[i].names.front(), timeline.clips[i].name);
        EXPECT_EQ(cut->events[i].record_in,
                  timeline.start.frames() + timeline.clips[i].record_start);
        EXPECT_EQ(cut->events[i].frames(), timeline.clips[i].frames);
    }
}

json rational(double value, double rate) {
    return {{"OTIO_SCHEMA", "RationalTime.1"}, {"rate", rate}, {"value", value}};
}
json range(double start, double duration, double rate) {
    return {{"OTIO_SCHEMA", "TimeRange.1"},
            {"start_time", rational(start, rate)},
            {"duration", rational(duration, rate)}};
}

TEST(OtioReader, ReadsGapsTransitionsClip1AndOtherRates) {
    // An editor's timeline at 48 fps media rate over a 24 fps show: Clip.1 with a
    // media_reference, a gap, a transition (takes no time), a clip named by its board only.
    const json clip1 = {
        {"OTIO_SCHEMA", "Clip.1"},
        {"name", "sq010/sh010/p002"},
        {"source_range", range(100, 96, 48)},
        {"media_reference",
         {{"OTIO_SCHEMA", "ExternalReference.1"}, {"target_url", "file:///b/x.png"}}}};
    const json gap = {{"OTIO_SCHEMA", "Gap.1"}, {"name", ""}, {"source_range", range(0, 12, 24)}};
    const json transition = {{"OTIO_SCHEMA", "Transition.1"}, {"name", "dissolve"}};
    const json clip2 = {{"OTIO_SCHEMA", "Clip.2"},
                        {"name", ""},
                        {"source_range", range(0, 30, 24)},
                        {"media_references",
                         {{"DEFAULT_MEDIA",
                           {{"OTIO_SCHEMA", "ExternalReference.1"},
                            {"target_url", "file:///b/sq010_sh020_p001.png"}}}}},
                        {"active_media_reference_key", "DEFAULT_MEDIA"}};
    const json timeline = {
        {"OTIO_SCHEMA", "Timeline.1"},
        {"name", "editor"},
        {"global_start_time", rational(86400, 24)},
        {"tracks",
         {{"OTIO_SCHEMA", "Stack.1"},
          {"children",
           json::array({{{"OTIO_SCHEMA", "Track.1"},
                         {"kind", "Video"},
                         {"children", json::array({clip1, gap, transition, clip2})}}})}}}};
    testing::TempDir dir;
    Diagnostics diagnostics;
    const auto cut = read_otio(write_json(dir.path(), timeline), FrameRate{24, 1}, diagnostics);
    ASSERT_TRUE(cut) << diagnostics.to_string();
    ASSERT_EQ(cut->events.size(), 2u);
    EXPECT_EQ(cut->events[0].names.front(), "sq010/sh010/p002");
    EXPECT_EQ(cut->events[0].record_in, 86400);
    EXPECT_EQ(cut->events[0].frames(), 48);
    EXPECT_EQ(cut->events[1].names.back(), "sq010_sh020_p001.png");
    EXPECT_EQ(cut->events[1].record_in, 86400 + 48 + 12);
    EXPECT_EQ(cut->events[1].frames(), 30);
}

TEST(OtioReader, ReportsBrokenJsonWithItsLine) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "broken.otio";
    std::ofstream(file) << "{\n  \"OTIO_SCHEMA\": \"Timeline.1\",\n  \"tracks\": [\n";
    Diagnostics diagnostics;
    EXPECT_FALSE(read_otio(file, FrameRate{24, 1}, diagnostics));
    ASSERT_EQ(diagnostics.size(), 1u);
    EXPECT_EQ(diagnostics.items()[0].where.line, 4);
    EXPECT_NE(diagnostics.items()[0].message.find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace storyreel
