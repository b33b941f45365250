// Given a project that asks for unbounded work (an alias bomb, a hold of 100 million
// frames, a day-long cut, thousands of nested lists) or holds numbers no field can mean
// (hundreds of digits, NaN, an hour 25), loading should refuse it quickly with a
// diagnostic at its file:line naming the key or the limit and how to raise it; and a
// project's `limits:` block should raise a limit for a studio that needs more.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "pipeline/input_limits.h"
#include "pipeline/project_loader.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// A project YAML with `show_extra` added to its show block, `top_extra` at the top and
/// `panels` as the one shot's panel list (each board exists).
std::string project_text(const std::string& panels, const std::string& top_extra = {},
                         const std::string& show_extra = {}) {
    return "storyreel: 1\n" + top_extra +
           "show:\n  name: Limits\n  frame_rate: \"24\"\n  resolution: 64x36\n" + show_extra +
           "sequences:\n  - name: sq010\n    shots:\n      - name: sh010\n        panels:\n" +
           panels;
}

std::string panel(const std::string& name, const std::string& hold = "frames: 12",
                  const std::string& extra = {}) {
    return "          - {name: " + name + ", board: a.png, " + hold +
           (extra.empty() ? "" : ", " + extra) + "}\n";
}

class ResourceLimits : public ::testing::Test {
  protected:
    void SetUp() override { std::ofstream(dir_.path() / "a.png") << "not decoded when loading"; }

    /// Loads `text` as project.yaml; every diagnostic is kept in diagnostics_.
    std::optional<Project> load(const std::string& text) {
        const fs::path file = dir_.path() / "project.yaml";
        std::ofstream(file) << text;
        diagnostics_ = Diagnostics();
        return load_project(file, diagnostics_);
    }

    /// The one diagnostic whose text contains `part`, or a failure listing all of them.
    ::testing::AssertionResult reported(const std::string& part, int line = 0) const {
        for (const auto& item : diagnostics_.items())
            if (item.to_string().find(part) != std::string::npos) {
                if (line > 0 && item.where.line != line)
                    return ::testing::AssertionFailure() << "'" << part << "' reported at line "
                                                         << item.where.line << ", not " << line;
                if (item.where.file.find("project.yaml") == std::string::npos)
                    return ::testing::AssertionFailure() << "no file named: " << item.to_string();
                return ::testing::AssertionSuccess();
            }
        return ::testing::AssertionFailure() << "no diagnostic with '" << part << "' in:\n"
                                             << diagnostics_.to_string();
    }

    testing::TempDir dir_;
    Diagnostics diagnostics_;
};

/// Nine levels of nine aliases each: 9^9 (387 million) values once expanded, from 300 bytes.
std::string alias_bomb() {
    std::string text = "  - &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 9; ++level) {
        const std::string previous = "*a" + std::to_string(level - 1);
        text += "  - &a" + std::to_string(level) + " [";
        for (int i = 0; i < 9; ++i) text += (i ? ", " : "") + previous;
        text += "]\n";
    }
    return text;
}

TEST_F(ResourceLimits, AnAliasBombIsRefusedQuicklyNamingTheLimit) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(load(project_text(panel("p001"), "notes:\n" + alias_bomb())));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_TRUE(reported("limit max_yaml_nodes"));
    EXPECT_TRUE(reported("limits: block"));
}

TEST_F(ResourceLimits, AnAliasBombInAPanelListIsRefusedBeforeAnyPanelIsBuilt) {
    // A panel repeated through nested aliases: 8^7 = 2 million panels from one line each.
    std::string text =
        "storyreel: 1\nshow: {name: L, frame_rate: \"24\"}\nsequences:\n"
        "  - name: sq010\n    shots:\n      - name: sh010\n        panels:\n"
        "          - &p0 {name: p001, board: a.png, frames: 1}\n";
    std::string level = "*p0";
    for (int depth = 1; depth < 8; ++depth) {
        text += "          - &p" + std::to_string(depth) + " [";
        for (int i = 0; i < 8; ++i) text += (i ? ", " : "") + level;
        text += "]\n";
        level = "*p" + std::to_string(depth);
    }
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(load(text));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_TRUE(reported("max_yaml_nodes"));
}

TEST_F(ResourceLimits, DeepNestingIsRefusedNamingTheLimit) {
    const std::string deep = std::string(200, '[') + std::string(200, ']');
    EXPECT_FALSE(load(project_text(panel("p001", "frames: 12", "notes: " + deep))));
    EXPECT_TRUE(reported("max_nesting_depth"));
}

TEST_F(ResourceLimits, AHoldOf100MillionFramesIsRefusedAtItsLine) {
    EXPECT_FALSE(load(project_text(panel("p001") + panel("p002", "frames: 100000000"))));
    EXPECT_TRUE(reported("max_hold_seconds", 12));
}

TEST_F(ResourceLimits, HoldsInSecondsAndDurationsAreHeldToTheSameLimit) {
    EXPECT_FALSE(load(
        project_text(panel("p001", "seconds: 4000") + panel("p002", "duration: \"02:00:00:00\""))));
    EXPECT_TRUE(reported("'seconds'", 11));
    EXPECT_TRUE(reported("'duration'", 12));
}

TEST_F(ResourceLimits, TheLimitsBlockRaisesALimit) {
    const std::string limits = "limits:\n  max_hold_seconds: 7200\n";
    ASSERT_TRUE(load(project_text(panel("p001", "frames: 100000"), limits)))
        << diagnostics_.to_string();
    EXPECT_FALSE(load(project_text(panel("p001", "frames: 100000"))))
        << "without the block it is refused";
}

TEST_F(ResourceLimits, ACutLongerThanADayIsRefusedByTheProjectCheck) {
    std::string panels;
    for (int i = 0; i < 25; ++i) panels += panel("p0" + std::to_string(10 + i), "frames: 86400");
    auto project = load(project_text(panels));
    ASSERT_TRUE(project) << diagnostics_.to_string();
    Diagnostics limits;
    check_project_limits(*project, limits);
    ASSERT_EQ(limits.size(), 1u) << limits.to_string();
    EXPECT_NE(limits.items()[0].message.find("max_cut_hours"), std::string::npos)
        << limits.to_string();

    project->limits.max_cut_hours = 25;
    Diagnostics raised;
    check_project_limits(*project, raised);
    EXPECT_TRUE(raised.empty()) << raised.to_string();
}

TEST_F(ResourceLimits, MorePanelsThanTheLimitAreRefused) {
    auto project = load(
        project_text(panel("p001") + panel("p002") + panel("p003"), "limits: {max_panels: 2}\n"));
    ASSERT_TRUE(project) << diagnostics_.to_string();
    Diagnostics limits;
    check_project_limits(*project, limits);
    ASSERT_EQ(limits.size(), 1u) << limits.to_string();
    EXPECT_NE(limits.items()[0].message.find("max_panels"), std::string::npos);
}

TEST_F(ResourceLimits, LimitsAreThemselvesValidated) {
    EXPECT_FALSE(load(project_text(panel("p001"),
                                   "limits:\n  max_panels: -1\n  max_hold_seconds: .nan\n"
                                   "  max_cut_hours: 1e400\n  max_frames: 3\n")));
    EXPECT_TRUE(reported("'max_panels'", 3));
    EXPECT_TRUE(reported("'max_hold_seconds'", 4));
    EXPECT_TRUE(reported("'max_cut_hours'", 5));
    EXPECT_TRUE(reported("unknown key 'max_frames'", 6));
}

// --- numbers no field can mean: refused with the key and line, never a crash ---

TEST_F(ResourceLimits, AResolutionWithHundredsOfDigitsIsAProblemNotACrash) {
    const std::string digits(300, '9');
    for (const std::string& resolution :
         {digits + "x1080", "[" + digits + ", 1080]", "[1920, -" + digits + "]",
          std::string("1920x") + digits}) {
        std::string text = project_text(panel("p001"));
        text.replace(text.find("64x36"), 5, resolution);
        EXPECT_FALSE(load(text)) << resolution;
        EXPECT_TRUE(reported("'resolution'", 5)) << resolution;
    }
}

TEST_F(ResourceLimits, EveryNumericPanelAndAudioFieldRefusesOverflowAtItsLine) {
    const std::string digits(300, '9');
    EXPECT_FALSE(load(project_text(panel("p001", "frames: " + digits))));
    EXPECT_TRUE(reported("'frames': '99999", 11));
    EXPECT_FALSE(load(project_text(panel("p001", "seconds: 999999999999999.999999999"))));
    EXPECT_TRUE(reported("'seconds'", 11));
    EXPECT_FALSE(load(project_text(
        panel("p001", "frames: 12", "audio: [{file: a.png, offset_frames: " + digits + "}]"))));
    EXPECT_TRUE(reported("'offset_frames'", 11));
    EXPECT_FALSE(load(project_text(
        panel("p001", "frames: 12", "audio: [{file: a.png, offset: " + digits + "}]"))));
    EXPECT_TRUE(reported("'offset'", 11));
    EXPECT_FALSE(
        load(project_text(panel("p001", "frames: 12", "audio: [{file: a.png, fade_in: 1e300}]"))));
    EXPECT_TRUE(reported("'fade_in'", 11));
    EXPECT_FALSE(load(project_text(
        panel("p001", "frames: 12", "transition: {type: fade, frames: " + digits + "}"))));
    EXPECT_TRUE(reported("'frames'", 11));
}

TEST_F(ResourceLimits, AnAudioGainOfNaNOrHugeIsRefusedAtItsLine) {
    for (const std::string gain : {".nan", "nan", "NaN", ".inf", "-.inf", "1e300", "49", "-121"}) {
        EXPECT_FALSE(
            load(project_text(panel("p001"), "audio:\n  - {file: a.png, gain_db: " + gain + "}\n")))
            << gain;
        EXPECT_TRUE(reported("'gain_db'", 3)) << gain;
        EXPECT_TRUE(reported("from -120 to 48")) << gain;
    }
    EXPECT_TRUE(load(project_text(panel("p001"), "audio:\n  - {file: a.png, gain_db: -6.5}\n")))
        << diagnostics_.to_string();
}

TEST_F(ResourceLimits, AStartTimecodeWithHour25IsRefused) {
    for (const std::string start : {"25:00:00:00", "24:00:00:00", "01:00:00:24", "01:61:00:00"}) {
        EXPECT_FALSE(load(project_text(panel("p001"), "", "  start_timecode: \"" + start + "\"\n")))
            << start;
        EXPECT_TRUE(reported("'start_timecode'", 6)) << start;
    }
    EXPECT_TRUE(load(project_text(panel("p001"), "", "  start_timecode: \"23:00:00:00\"\n")));
}

TEST_F(ResourceLimits, ACameraCentreOfNaNIsRefused) {
    EXPECT_FALSE(load(project_text(
        panel("p001", "frames: 12", "camera: {keys: [{frame: 0, centre: [.nan, 0.5]}]}"))));
    EXPECT_TRUE(reported("centre"));
}

}  // namespace
}  // namespace storyreel
