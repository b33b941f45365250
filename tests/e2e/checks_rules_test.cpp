// Given a small generated project built to trip one production check, the finding should
// name the right panel, its record timecode, the measured value and the limit; a clean
// project should leave the rule silent; thresholds and acks should change the outcome.

#include <gtest/gtest.h>

#include "pipeline/diagnostics.h"
#include "tests/support/audio_fixtures.h"
#include "tests/support/check_projects.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using checks::Severity;
using testing::findings_of;
using testing::TestPanel;

TestPanel panel(std::string name, int frames, std::string dialogue = {}, std::string extra = {}) {
    TestPanel p;
    p.name = std::move(name);
    p.frames = frames;
    p.dialogue = std::move(dialogue);
    p.extra_yaml = std::move(extra);
    return p;
}

checks::CheckReport check(const testing::TempDir& dir, const std::vector<TestPanel>& panels,
                          const std::string& extra = {}, const std::string& sequence_yaml = {}) {
    const fs::path project =
        testing::write_check_project(dir.path() / "project", panels, extra, sequence_yaml);
    return testing::check_project(project, dir.path() / "cache");
}

TEST(DialoguePaceRule, GivenALineTooLongForItsHoldItNamesThePanelRateAndLimit) {
    testing::TempDir dir;
    // p002: 12 words in 48 frames (2 s) = 6 words/s: an error (limit 4); p003: 7 words in
    // 2 s = 3.5 words/s: a warning (limit 3).
    const auto report = check(
        dir, {panel("p001", 48, "Hi."),
              panel("p002", 48, "one two three four five six seven eight nine ten eleven twelve"),
              panel("p003", 48, "one two three four five six seven")});
    const auto found = findings_of(report, "dialogue_pace");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p002");
    EXPECT_EQ(found[0].record_in, "01:00:02:00");
    EXPECT_EQ(found[0].severity, Severity::Error);
    EXPECT_DOUBLE_EQ(*found[0].measured, 6.0);
    EXPECT_DOUBLE_EQ(*found[0].limit, 4.0);
    EXPECT_EQ(found[1].where(), "sq010/sh010/p003");
    EXPECT_EQ(found[1].record_in, "01:00:04:00");
    EXPECT_EQ(found[1].severity, Severity::Warning);
    EXPECT_DOUBLE_EQ(*found[1].limit, 3.0);
}

TEST(DialoguePaceRule, GivenAHigherSpeakingRateOrAnAckTheOutcomeChanges) {
    testing::TempDir dir;
    const std::vector<TestPanel> panels{panel("p001", 48, "one two three four five six seven"),
                                        panel("p002", 48, "one two three four five six seven",
                                              "ack: [{rule: dialogue_pace, reason: fast talker}]")};
    const auto report = check(dir, panels, "checks: {dialogue_pace: {words_per_second: 3.6}}");
    EXPECT_TRUE(findings_of(report, "dialogue_pace").empty());
    const auto strict = check(dir, panels);
    const auto found = findings_of(strict, "dialogue_pace");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_FALSE(found[0].acknowledged);
    EXPECT_TRUE(found[1].acknowledged);
    EXPECT_EQ(found[1].ack_reason, "fast talker");
    EXPECT_EQ(strict.unacknowledged_at_least(Severity::Warning), 1u);
    const auto off = check(dir, panels, "checks: {dialogue_pace: off}");
    EXPECT_TRUE(findings_of(off, "dialogue_pace").empty());
}

TEST(DeadAirRule, GivenAShortLineHeldLongItIsInfoWithTheHoldAndWhatTheLineNeeds) {
    testing::TempDir dir;
    // 2 words need 2/2 + 1.5 = 2.5 s; held 96 frames = 4 s.
    const auto report = check(dir, {panel("p001", 48, "Hi there"), panel("p002", 96, "Hi there")});
    const auto found = findings_of(report, "dead_air");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p002");
    EXPECT_EQ(found[0].severity, Severity::Info);
    EXPECT_DOUBLE_EQ(*found[0].measured, 4.0);
    EXPECT_DOUBLE_EQ(*found[0].limit, 2.5);
    const auto slack = check(dir, {panel("p001", 48, "Hi there"), panel("p002", 96, "Hi there")},
                             "checks: {dead_air: {slack_seconds: 3}}");
    EXPECT_TRUE(findings_of(slack, "dead_air").empty());
}

TEST(CaptionRateRule, IsSilentUnlessTheDialogueIsBurnedInOrAsked) {
    testing::TempDir dir;
    const std::vector<TestPanel> panels{
        panel("p001", 12, "Far too quick for anyone to read"), panel("p002", 240, "Short."),
        panel("p003", 96, "This subtitle line is certainly longer than forty-two characters")};
    EXPECT_TRUE(findings_of(check(dir, panels), "caption_rate").empty());
    const auto found =
        findings_of(check(dir, panels, "checks: {caption_rate: {always: true}}"), "caption_rate");
    // p001: 32 chars in 0.5 s (64 chars/s > 17) and 0.5 s < 5/6 s; p002 10 s > 7 s; p003 a
    // line of 64 chars.
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p001");
    EXPECT_EQ(found[0].unit, "chars/s");
    EXPECT_DOUBLE_EQ(*found[0].measured, 64.0);
    EXPECT_DOUBLE_EQ(*found[0].limit, 17.0);
    EXPECT_EQ(found[1].unit, "s");
    EXPECT_NEAR(*found[1].limit, 5.0 / 6.0, 1e-9);
    EXPECT_EQ(found[2].where(), "sq010/sh010/p002");
    EXPECT_DOUBLE_EQ(*found[2].limit, 7.0);
    EXPECT_EQ(found[3].where(), "sq010/sh010/p003");
    EXPECT_EQ(found[3].unit, "chars");
    EXPECT_DOUBLE_EQ(*found[3].measured, 64.0);
    EXPECT_DOUBLE_EQ(*found[3].limit, 42.0);
}

TEST(CaptionRateRule, GivenAPipelineBurningInTheDialogueItChecks) {
    testing::TempDir dir;
    const fs::path project =
        testing::write_check_project(dir.path() / "project", {panel("p001", 240, "Short.")});
    const fs::path pipeline =
        testing::write_fast_pipeline(dir.path(),
                                     "  - {name: subs, type: burnins, needs: [conform], params: "
                                     "{bottom_centre: \"{dialogue}\"}}\n");
    const auto found = findings_of(testing::check_project(project, dir.path() / "cache", pipeline),
                                   "caption_rate");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_DOUBLE_EQ(*found[0].measured, 10.0);
}

TEST(ShotLengthRule, GivenAShortShotAndALongStillItWarnsAndCameraMovesExcuse) {
    testing::TempDir dir;
    TestPanel short_shot = panel("p001", 8);
    short_shot.shot = "sh020";
    const auto report = check(dir, {panel("p001", 48), short_shot, [] {
                                        TestPanel p = panel("p002", 240);
                                        p.shot = "sh020";
                                        return p;
                                    }()});
    const auto found = findings_of(report, "shot_length");
    ASSERT_EQ(found.size(), 1u) << "sh020 is 248 frames: long enough; p002 is a 10 s still";
    EXPECT_EQ(found[0].where(), "sq010/sh020/p002");
    EXPECT_DOUBLE_EQ(*found[0].measured, 10.0);
    EXPECT_DOUBLE_EQ(*found[0].limit, 8.0);

    TestPanel lone = panel("p001", 8);
    lone.shot = "sh020";
    const auto short_report = check(dir, {panel("p001", 48), lone});
    const auto shorts = findings_of(short_report, "shot_length");
    ASSERT_EQ(shorts.size(), 1u);
    EXPECT_EQ(shorts[0].where(), "sq010/sh020");
    EXPECT_EQ(shorts[0].record_in, "01:00:02:00");
    EXPECT_DOUBLE_EQ(*shorts[0].measured, 8.0);
    EXPECT_DOUBLE_EQ(*shorts[0].limit, 12.0);

    const auto moving = check(
        dir,
        {panel("p001", 240, {}, "camera: {keys: [{frame: 0, zoom: 1}, {frame: 239, zoom: 2}]}")});
    EXPECT_TRUE(findings_of(moving, "shot_length").empty());
}

TEST(DuplicateBoardRule, GivenTheSameFileTwiceItWarnsAndANearCopyIsInfo) {
    testing::TempDir dir;
    TestPanel again = panel("p003", 48);
    again.shot = "sh020";
    again.board = "p001.png";
    TestPanel near = panel("p004", 48);
    near.shot = "sh030";
    near.board = "p004.png";  // p001's drawing with a speck: other bytes, same picture
    testing::write_drawn_board(dir.path() / "project" / "boards" / "p001.png", 128, 72, 1);
    testing::write_touched_copy(dir.path() / "project" / "boards" / "p001.png",
                                dir.path() / "project" / "boards" / "p004.png");
    const auto report = check(dir, {panel("p001", 48), panel("p002", 48), again, near});
    const auto found = findings_of(report, "duplicate_board");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where(), "sq010/sh020/p003");
    EXPECT_EQ(found[0].severity, Severity::Warning);
    EXPECT_EQ(found[0].record_in, "01:00:04:00");
    EXPECT_NE(found[0].message.find("sq010/sh010/p001"), std::string::npos);
    EXPECT_EQ(found[1].where(), "sq010/sh030/p004");
    EXPECT_EQ(found[1].severity, Severity::Info);
    EXPECT_LE(*found[1].measured, *found[1].limit);
    const auto clean = check(dir, {panel("p001", 48), panel("p002", 48)});
    EXPECT_TRUE(findings_of(clean, "duplicate_board").empty());
}

TEST(PlaceholderBoardRule, GivenABlankBoardItIsInfoWithItsInk) {
    testing::TempDir dir;
    TestPanel blank = panel("p002", 48);
    blank.strokes = 0;
    const auto found = findings_of(check(dir, {panel("p001", 48), blank}), "placeholder_board");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p002");
    EXPECT_DOUBLE_EQ(*found[0].measured, 0.0);
    EXPECT_DOUBLE_EQ(*found[0].limit, 0.002);
}

TEST(SoftBoardRule, GivenASmallOrNarrowBoardItSaysHowMuchItIsEnlargedOrOff) {
    testing::TempDir dir;
    TestPanel small = panel("p002", 48);
    small.width = 40;
    small.height = 22;  // 128/40 = 3.2x
    TestPanel square = panel("p003", 48);
    square.width = 128;
    square.height = 128;  // aspect 1 vs 1.78: 44 % off
    const auto found = findings_of(check(dir, {panel("p001", 48), small, square}), "soft_board");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p002");
    EXPECT_NEAR(*found[0].measured, 3.2, 0.01);
    EXPECT_DOUBLE_EQ(*found[0].limit, 2.0);
    EXPECT_EQ(found[1].where(), "sq010/sh010/p003");
    EXPECT_NEAR(*found[1].measured, 1 - 1.0 / (128.0 / 72.0), 0.01);
    EXPECT_DOUBLE_EQ(*found[1].limit, 0.1);
}

TEST(AudioOverrunRule, GivenAClipPastItsShotAndAShortTempTrackItWarns) {
    testing::TempDir dir;
    fs::create_directories(dir.path() / "project" / "audio");
    testing::write_wav(dir.path() / "project" / "audio" / "clip.wav",
                       testing::sine(48000 * 3, 440, 0.3f), 1);
    testing::write_wav(dir.path() / "project" / "audio" / "temp.wav",
                       testing::sine(48000 * 3, 220, 0.3f), 1);
    // The clip (3 s) starts on p002 (a 2 s shot): 1 s past; the temp track (3 s) ends
    // 1 s before the 4 s sequence does.
    TestPanel clip = panel("p002", 48, {}, "audio: [{file: audio/clip.wav}]");
    clip.shot = "sh020";
    const auto report = check(dir, {panel("p001", 48), clip}, {},
                              "    audio: [{file: audio/temp.wav, role: music}]\n");
    const auto found = findings_of(report, "audio_overrun");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where(), "sq010");
    EXPECT_DOUBLE_EQ(*found[0].measured, -1.0);
    EXPECT_EQ(found[1].where(), "sq010/sh020/p002");
    EXPECT_EQ(found[1].record_in, "01:00:02:00");
    EXPECT_NEAR(*found[1].measured, 1.0, 1e-3);
}

TEST(UnspokenLineRule, GivenADialogueTrackItFindsSilentDialoguePanelsAndUncoveredSpeech) {
    testing::TempDir dir;
    fs::create_directories(dir.path() / "project" / "audio");
    // Speech (tone bursts) at 0.5 s (under p001, which has dialogue) and 4.5 s (under
    // p003, which has none); p002 has dialogue and silence under it.
    testing::write_wav(dir.path() / "project" / "audio" / "dialogue.wav",
                       testing::tone_bursts(48000 * 6, {24000, 216000}, 0.8), 1);
    const auto report = check(
        dir, {panel("p001", 48, "Hello there."), panel("p002", 48, "Anyone?"), panel("p003", 48)},
        {}, "    audio: [{file: audio/dialogue.wav, role: dialogue}]\n");
    const auto found = findings_of(report, "unspoken_line");
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found[0].where(), "sq010/sh010/p002");
    EXPECT_EQ(found[1].where(), "sq010/sh010/p003");
    EXPECT_EQ(found[1].record_in, "01:00:04:12");
    EXPECT_NEAR(*found[1].measured, 0.8, 0.05);
    const auto clean =
        check(dir, {panel("p001", 48, "Hello there."), panel("p002", 48), panel("p003", 48, "Hi.")},
              {}, "    audio: [{file: audio/dialogue.wav, role: dialogue}]\n");
    EXPECT_TRUE(findings_of(clean, "unspoken_line").empty());
}

TEST(CheckSettings, GivenAnUnknownRuleANegativeThresholdOrABadAckItIsAValidationErrorWithFileLine) {
    testing::TempDir dir;
    const fs::path project = testing::write_check_project(
        dir.path() / "project", {panel("p001", 48, {}, "ack: [no_such_rule]")},
        "checks:\n  dialog_pace: {words_per_second: 3}\n  dead_air: {slack_seconds: -1}\n  "
        "shot_length: {min_frames: 3}\n");
    try {
        testing::check_project(project, dir.path() / "cache");
        FAIL() << "expected a validation error";
    } catch (const ValidationError& error) {
        const std::string text = error.diagnostics().to_string();
        EXPECT_NE(text.find("project.yaml:4:3: checks: unknown check rule 'dialog_pace'"),
                  std::string::npos)
            << text;
        EXPECT_NE(text.find("project.yaml:5:"), std::string::npos) << text;
        EXPECT_NE(text.find("must not be negative"), std::string::npos) << text;
        EXPECT_NE(text.find("unknown setting 'min_frames' of rule shot_length"), std::string::npos)
            << text;
        EXPECT_NE(text.find("acknowledges unknown check rule 'no_such_rule'"), std::string::npos)
            << text;
        EXPECT_EQ(error.diagnostics().size(), 4u) << text;
    }
}

TEST(CleanProject, GivenWellTimedDistinctBoardsNoRuleFindsAnything) {
    testing::TempDir dir;
    TestPanel second = panel("p001", 84, "We should go now, before it gets dark.");
    second.board = "sh020_p001.png";
    second.shot = "sh020";
    const auto report = check(dir, {panel("p001", 72, "Where are we?"), second});
    EXPECT_TRUE(report.findings.empty())
        << report.summary() << ": " << report.findings.front().message;
    ASSERT_EQ(report.breakdown.size(), 1u);
    EXPECT_EQ(report.breakdown[0].boards, 2);
    EXPECT_EQ(report.breakdown[0].shots, 2);
}

}  // namespace
}  // namespace storyreel
