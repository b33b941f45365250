// Given small project and pipeline files with mistakes in them, validation should report
// every problem at once, each at its file:line:column, before any work starts; and holds
// given in seconds or as durations should become exact frame counts.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <numeric>
#include <string>

#include "pipeline/build.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/project_loader.h"
#include "stages/builtin_stages.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// A pipeline every test project validates against: one fast ProRes proxy output.
constexpr const char* kGoodPipeline = R"(pipeline: 1
name: test
stages:
  - name: ingest
    type: ingest
  - name: conform
    type: conform
    needs: [ingest]
  - name: audio
    type: audio
  - name: prores
    type: encode
    needs: [conform, audio]
    params:
      codec: prores
      profile: proxy
)";

/// A small valid project: one sequence, one shot, two panels.
constexpr const char* kGoodProject = R"(storyreel: 1
show:
  name: Test
  frame_rate: "24"
  resolution: 64x36
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: p001, board: boards/a.png, frames: 12}
          - {name: p002, board: boards/a.png, seconds: 0.5}
)";

/// 1-based line and column of `needle` in `text`, at its first occurrence after
/// `after` (where a diagnostic about that key or value should point).
std::pair<int, int> position_of(const std::string& text, const std::string& needle,
                                const std::string& after = {}) {
    const std::size_t found = text.find(after + needle);
    if (found == std::string::npos) {
        ADD_FAILURE() << "'" << after + needle << "' is not in the test's YAML";
        return {0, 0};
    }
    const std::size_t at = found + after.size();
    const std::size_t line_start = text.rfind('\n', at);
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    const int column =
        static_cast<int>(at - (line_start == std::string::npos ? 0 : line_start + 1)) + 1;
    return {line, column};
}

/// The diagnostics whose message contains `text`.
std::vector<Diagnostic> matching(const Diagnostics& diagnostics, const std::string& text) {
    std::vector<Diagnostic> found;
    for (const auto& item : diagnostics.items())
        if (item.message.find(text) != std::string::npos) found.push_back(item);
    return found;
}

/// Asserts exactly one diagnostic's message contains `text`, and that it points at
/// `file` where `needle` first appears in `yaml` (after `after`).
void expect_one_at(const Diagnostics& diagnostics, const std::string& text, const fs::path& file,
                   const std::string& yaml, const std::string& needle,
                   const std::string& after = {}) {
    const auto found = matching(diagnostics, text);
    ASSERT_EQ(found.size(), 1u) << "diagnostics mentioning '" << text << "':\n"
                                << diagnostics.to_string();
    const auto [line, column] = position_of(yaml, needle, after);
    EXPECT_EQ(found[0].where.file, file.string()) << found[0].to_string();
    EXPECT_EQ(found[0].where.line, line) << found[0].to_string();
    EXPECT_EQ(found[0].where.column, column) << found[0].to_string();
    // The printed form leads with the place, as editors and CI logs expect.
    EXPECT_EQ(
        found[0].to_string().rfind(
            file.string() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ", 0),
        0u)
        << found[0].to_string();
}

class ValidationTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_.path() / "boards");
        write_board(dir_.path() / "boards" / "a.png");
        write("pipeline.yaml", kGoodPipeline);
    }

    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path path = dir_.path() / name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    static void write_board(const fs::path& path) {
        OIIO::ImageBuf board(OIIO::ImageSpec(32, 18, 3, OIIO::TypeDesc::UINT8));
        const float grey[3] = {0.5f, 0.5f, 0.5f};
        OIIO::ImageBufAlgo::fill(board, grey);
        ASSERT_TRUE(board.write(path.string())) << board.geterror();
    }

    /// Writes project.yaml and loads it, returning the diagnostics.
    Diagnostics load(const std::string& yaml, std::optional<Project>* project = nullptr) const {
        const fs::path file = write("project.yaml", yaml);
        Diagnostics diagnostics;
        auto loaded = load_project(file, diagnostics);
        EXPECT_EQ(loaded.has_value(), diagnostics.empty()) << diagnostics.to_string();
        if (project) *project = std::move(loaded);
        return diagnostics;
    }

    /// Loads a valid project (failing the test otherwise) and returns each panel's frames.
    std::vector<std::int64_t> holds(const std::string& yaml) const {
        std::optional<Project> project;
        const Diagnostics diagnostics = load(yaml, &project);
        EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_string();
        std::vector<std::int64_t> frames;
        if (!project) return frames;
        for (const auto& sequence : project->sequences)
            for (const auto& shot : sequence.shots)
                for (const auto& panel : shot.panels) frames.push_back(panel.frames);
        return frames;
    }

    Diagnostics load_pipeline_text(const std::string& yaml) const {
        const fs::path file = write("pipeline.yaml", yaml);
        Diagnostics diagnostics;
        auto pipeline = load_pipeline(file, builtin_stage_registry(), diagnostics);
        EXPECT_EQ(pipeline.has_value(), diagnostics.empty()) << diagnostics.to_string();
        return diagnostics;
    }

    /// Runs validate_build; returns its diagnostics (empty when the build is valid).
    Diagnostics validate(const Selection& selection = {}) const {
        BuildRequest request;
        request.project = dir_.path() / "project.yaml";
        request.pipeline = dir_.path() / "pipeline.yaml";
        request.output_dir = dir_.path() / "out";
        request.selection = selection;
        try {
            validate_build(request, builtin_stage_registry());
        } catch (const ValidationError& error) {
            EXPECT_FALSE(error.diagnostics().empty()) << "ValidationError without diagnostics";
            return error.diagnostics();
        }
        return {};
    }

    fs::path project_file() const { return dir_.path() / "project.yaml"; }
    fs::path pipeline_file() const { return dir_.path() / "pipeline.yaml"; }

    testing::TempDir dir_;
};

// ---------------------------------------------------------------------------------------
// Project files

using ProjectValidation = ValidationTest;

TEST_F(ProjectValidation, AcceptsAGoodProject) {
    EXPECT_EQ(holds(kGoodProject), (std::vector<std::int64_t>{12, 12}));
}

TEST_F(ProjectValidation, ReportsEveryProblemAtOnceEachAtItsPlace) {
    const std::string yaml = R"(storyreel: 1
show:
  name: Test
  frame_rate: "23.9"
  resolution: 64x36
  colour: red
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - name: p001
            board: boards/missing.png
            frames: 12
          - name: p002
            board: boards/a.png
            frames: 0
)";
    const Diagnostics diagnostics = load(yaml);
    EXPECT_EQ(diagnostics.size(), 4u) << diagnostics.to_string();
    expect_one_at(diagnostics, "unknown key 'colour'", project_file(), yaml, "colour:");
    expect_one_at(diagnostics, "unsupported frame rate '23.9'", project_file(), yaml, "\"23.9\"");
    expect_one_at(diagnostics, "board image not found", project_file(), yaml, "boards/missing.png");
    expect_one_at(diagnostics, "hold must be at least one frame", project_file(), yaml, "0",
                  "frames: ");

    const auto missing = matching(diagnostics, "board image not found");
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].subject, "panel sq010/sh010/p001");
    EXPECT_NE(missing[0].message.find((dir_.path() / "boards" / "missing.png").string()),
              std::string::npos)
        << "the message should give the resolved path: " << missing[0].message;
    EXPECT_FALSE(missing[0].hint.empty());
}

TEST_F(ProjectValidation, HoldProblemsNameThePanel) {
    const Diagnostics diagnostics = load(R"(storyreel: 1
show: {name: Test, frame_rate: "24", resolution: 64x36}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: p001, board: boards/a.png, frames: 2}
          - {name: p002, board: boards/a.png, frames: 0}
)");
    ASSERT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    EXPECT_EQ(diagnostics.items()[0].subject, "panel sq010/sh010/p002");
}

TEST_F(ProjectValidation, ReportsASyntaxErrorWithItsLineAndColumn) {
    const std::string yaml = "storyreel: 1\nshow:\n  name: [Test\n  frame_rate: \"24\"\n";
    const Diagnostics diagnostics = load(yaml);
    ASSERT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    const Diagnostic& error = diagnostics.items()[0];
    EXPECT_NE(error.message.find("YAML syntax error"), std::string::npos) << error.to_string();
    EXPECT_EQ(error.where.file, project_file().string());
    EXPECT_GE(error.where.line, 3) << error.to_string();
    EXPECT_GT(error.where.column, 0) << error.to_string();
}

TEST_F(ProjectValidation, SecondsHoldsConvertOnOneClockWithoutDrift) {
    // Three panels of 0.5 s at 23.976 (11.988 frames each) hold round(1.5 s) = 36 frames.
    std::string three = R"(storyreel: 1
show: {name: Test, frame_rate: "23.976", resolution: 64x36}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
)";
    for (int i = 1; i <= 3; ++i)
        three +=
            "          - {name: p" + std::to_string(i) + ", board: boards/a.png, seconds: 0.5}\n";
    const auto frames = holds(three);
    ASSERT_EQ(frames.size(), 3u);
    const std::int64_t total = std::accumulate(frames.begin(), frames.end(), std::int64_t{0});
    const FrameRate film{24000, 1001};
    EXPECT_EQ(total, film.frames_at(Rational{3, 2}));
    EXPECT_EQ(total, 36);

    // A hundred such panels: 50 s is 1198.8 frames, so the cut holds 1199, not 100 * 12.
    std::string hundred = R"(storyreel: 1
show: {name: Test, frame_rate: "23.976", resolution: 64x36}
sequences:
  - name: sq010
    shots:
)";
    for (int shot = 1; shot <= 10; ++shot) {
        hundred += "      - name: sh" + std::to_string(shot) + "\n        panels:\n";
        for (int i = 1; i <= 10; ++i)
            hundred += "          - {name: p" + std::to_string(i) +
                       ", board: boards/a.png, seconds: 0.5}\n";
    }
    const auto many = holds(hundred);
    ASSERT_EQ(many.size(), 100u);
    EXPECT_EQ(std::accumulate(many.begin(), many.end(), std::int64_t{0}), 1199);
    for (std::size_t i = 0; i < many.size(); ++i)
        EXPECT_TRUE(many[i] == 12 || many[i] == 11) << "panel " << i << ": " << many[i];
}

TEST_F(ProjectValidation, MixedHoldsShareTheClock) {
    // frames, seconds and durations advance the same exact clock: after 1 frame at
    // 23.976, a 1.001 s panel (exactly 24 frames) still holds 24, and a duration of
    // 00:00:01:12 holds 36.
    const auto frames = holds(R"(storyreel: 1
show: {name: Test, frame_rate: "23.976", resolution: 64x36}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: p1, board: boards/a.png, frames: 1}
          - {name: p2, board: boards/a.png, seconds: 1.001}
          - {name: p3, board: boards/a.png, duration: "00:00:01:12"}
          - {name: p4, board: boards/a.png, seconds: 0.5}
)");
    EXPECT_EQ(frames, (std::vector<std::int64_t>{1, 24, 36, 12}));
}

TEST_F(ProjectValidation, DropFrameDurationsCountRealFrames) {
    const auto frames = holds(R"(storyreel: 1
show: {name: Test, frame_rate: "29.97", resolution: 64x36, start_timecode: "01:00:00;00"}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: p1, board: boards/a.png, duration: "00:01:00;02"}
          - {name: p2, board: boards/a.png, duration: "00:00:00;15"}
)");
    EXPECT_EQ(frames, (std::vector<std::int64_t>{1800, 15}));
}

TEST_F(ProjectValidation, RejectsHoldsThatAreMissingDoubledTooFineOrZero) {
    const std::string yaml = R"(storyreel: 1
show: {name: Test, frame_rate: "24", resolution: 64x36}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: nohold, board: boards/a.png}
          - {name: twoholds, board: boards/a.png, frames: 2, seconds: 1}
          - {name: tiny, board: boards/a.png, seconds: 0.01}
          - {name: submilli, board: boards/a.png, seconds: 0.0005}
          - {name: negative, board: boards/a.png, frames: -3}
          - {name: badduration, board: boards/a.png, duration: "00:00:00:00"}
)";
    const Diagnostics diagnostics = load(yaml);
    EXPECT_EQ(diagnostics.size(), 6u) << diagnostics.to_string();
    EXPECT_EQ(matching(diagnostics, "no hold given").size(), 1u);
    EXPECT_EQ(matching(diagnostics, "more than one hold given").size(), 1u);
    expect_one_at(diagnostics, "hold rounds to zero frames", project_file(), yaml, "{name: tiny");
    expect_one_at(diagnostics, "1 ms precision", project_file(), yaml, "0.0005");
    expect_one_at(diagnostics, "got -3", project_file(), yaml, "-3");
    expect_one_at(diagnostics, "positive duration", project_file(), yaml, "\"00:00:00:00\"");
}

TEST_F(ProjectValidation, RejectsNamesThatWouldEscapeTheOutputFolder) {
    const std::string yaml = R"(storyreel: 1
show: {name: Test, frame_rate: "24", resolution: 64x36}
sequences:
  - name: ../x
    shots:
      - name: a/b
        panels:
          - {name: .hidden, board: boards/a.png, frames: 2}
          - {name: p1, board: boards/a.png, frames: 2}
          - {name: p1, board: boards/a.png, frames: 2}
)";
    const Diagnostics diagnostics = load(yaml);
    EXPECT_EQ(diagnostics.size(), 4u) << diagnostics.to_string();
    expect_one_at(diagnostics, "unsafe sequence name '../x'", project_file(), yaml, "../x");
    expect_one_at(diagnostics, "unsafe shot name 'a/b'", project_file(), yaml, "a/b");
    expect_one_at(diagnostics, "unsafe panel name '.hidden'", project_file(), yaml, ".hidden");
    EXPECT_EQ(matching(diagnostics, "'p1' appears twice").size(), 1u) << diagnostics.to_string();

    for (const std::string safe : {"sq010", "sh_020", "p-3", "v1.2", "A"})
        EXPECT_TRUE(is_safe_name(safe)) << safe;
    EXPECT_TRUE(is_safe_name(std::string(64, 'a')));
    for (const std::string unsafe :
         {"", "../x", "..", ".", ".hidden", "a/b", "a\\b", "a b", "a..b", "-x/..", "x\n"})
        EXPECT_FALSE(is_safe_name(unsafe)) << unsafe;
    EXPECT_FALSE(is_safe_name(std::string(65, 'a')));
}

// ---------------------------------------------------------------------------------------
// Pipeline files

using PipelineValidation = ValidationTest;

TEST_F(PipelineValidation, AcceptsTheShippedPipeline) {
    Diagnostics diagnostics;
    const auto pipeline =
        load_pipeline(fs::path(STORYREEL_SOURCE_DIR) / "configs" / "animatic.yaml",
                      builtin_stage_registry(), diagnostics);
    EXPECT_TRUE(pipeline) << diagnostics.to_string();
    EXPECT_TRUE(load_pipeline_text(kGoodPipeline).empty());
}

TEST_F(PipelineValidation, ReportsAnUnknownStageTypeWithTheKnownOnes) {
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: blur, type: gaussian_blur, needs: [ingest]}
  - {name: prores, type: encode, needs: [blur], params: {codec: prores}}
)";
    const Diagnostics diagnostics = load_pipeline_text(yaml);
    EXPECT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    expect_one_at(diagnostics, "unknown stage type 'gaussian_blur'", pipeline_file(), yaml,
                  "gaussian_blur");
    const auto found = matching(diagnostics, "unknown stage type");
    ASSERT_EQ(found.size(), 1u);
    for (const char* known : {"ingest", "conform", "audio", "encode"})
        EXPECT_NE(found[0].hint.find(known), std::string::npos) << found[0].hint;
}

TEST_F(PipelineValidation, ReportsACycleInNeedsNamingItsStages) {
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest, regrade]}
  - {name: regrade, type: conform, needs: [conform]}
  - {name: prores, type: encode, needs: [regrade], params: {codec: prores}}
)";
    const Diagnostics diagnostics = load_pipeline_text(yaml);
    const auto found = matching(diagnostics, "cycle in needs");
    ASSERT_EQ(found.size(), 1u) << diagnostics.to_string();
    EXPECT_NE(found[0].message.find("conform -> regrade -> conform"), std::string::npos)
        << found[0].to_string();
    EXPECT_EQ(found[0].where.file, pipeline_file().string());
    EXPECT_GT(found[0].where.line, 0);
}

TEST_F(PipelineValidation, ReportsAStageThatNeedsItself) {
    const Diagnostics diagnostics = load_pipeline_text(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest, needs: [ingest]}
  - {name: prores, type: encode, needs: [ingest], params: {codec: prores}}
)");
    const auto found = matching(diagnostics, "cycle in needs");
    ASSERT_EQ(found.size(), 1u) << diagnostics.to_string();
    EXPECT_NE(found[0].message.find("ingest -> ingest"), std::string::npos) << found[0].message;
}

TEST_F(PipelineValidation, ReportsANeedThatIsNotAStage) {
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform, sound], params: {codec: prores}}
)";
    const Diagnostics diagnostics = load_pipeline_text(yaml);
    EXPECT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    expect_one_at(diagnostics, "needs 'sound', which is not a stage", pipeline_file(), yaml,
                  "{name: prores");
    EXPECT_EQ(diagnostics.items()[0].subject, "stage 'prores'");
}

TEST_F(PipelineValidation, ReportsAnEncodeWithoutAnImageInput) {
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [audio], params: {codec: prores}}
)";
    const Diagnostics diagnostics = load_pipeline_text(yaml);
    EXPECT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    expect_one_at(diagnostics, "needs a stage that provides 'frame'", pipeline_file(), yaml,
                  "{name: prores");
}

TEST_F(PipelineValidation, ReportsAnEncodeFedStraightFromIngest) {
    const Diagnostics diagnostics = load_pipeline_text(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: prores, type: encode, needs: [ingest], params: {codec: prores}}
)");
    EXPECT_EQ(matching(diagnostics, "needs a stage that provides 'frame'").size(), 1u)
        << diagnostics.to_string();
    EXPECT_EQ(matching(diagnostics, "does not take 'image'").size(), 1u) << diagnostics.to_string();
}

TEST_F(PipelineValidation, ReportsAConformFedByAudio) {
    const Diagnostics diagnostics = load_pipeline_text(R"(pipeline: 1
stages:
  - {name: audio, type: audio}
  - {name: conform, type: conform, needs: [audio]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores}}
)");
    EXPECT_EQ(matching(diagnostics, "which only output stages can take").size(), 1u)
        << diagnostics.to_string();
}

TEST_F(PipelineValidation, ReportsAPipelineWithNoOutput) {
    const Diagnostics diagnostics = load_pipeline_text(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
)");
    EXPECT_EQ(matching(diagnostics, "has no output stage").size(), 1u) << diagnostics.to_string();
}

// ---------------------------------------------------------------------------------------
// Whole builds: project, pipeline, stage params and selection together

using BuildValidation = ValidationTest;

TEST_F(BuildValidation, AcceptsAGoodBuild) {
    write("project.yaml", kGoodProject);
    EXPECT_TRUE(validate().empty());
    EXPECT_TRUE(validate(Selection{{"sq010"}}).empty());
    EXPECT_TRUE(validate(Selection{{"sq010/sh010"}}).empty());
}

TEST_F(BuildValidation, ReportsAMistypedParamKeyWithTheKnownKeys) {
    write("project.yaml", kGoodProject);
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - name: prores
    type: encode
    needs: [conform]
    params:
      codec: prores
      qualty: 3
)";
    write("pipeline.yaml", yaml);
    const Diagnostics diagnostics = validate();
    EXPECT_EQ(diagnostics.size(), 1u) << diagnostics.to_string();
    expect_one_at(diagnostics, "unknown key 'qualty'", pipeline_file(), yaml, "qualty");
    const auto found = matching(diagnostics, "unknown key 'qualty'");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].subject.find("prores"), std::string::npos) << found[0].subject;
    EXPECT_NE(found[0].hint.find("profile"), std::string::npos) << found[0].hint;
}

TEST_F(BuildValidation, ReportsABadCodecProfile) {
    write("project.yaml", kGoodProject);
    const std::string yaml = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: ultra}}
  - {name: dnx, type: encode, needs: [conform], params: {codec: dnxhr, profile: proxy}}
  - {name: review, type: encode, needs: [conform], params: {codec: h264, crf: 99}}
  - {name: hq, type: encode, needs: [conform], params: {codec: prores, still_crf_boost: 17}}
  - {name: ks, type: encode, needs: [conform], params: {codec: prores, encoder: prores_fast}}
  - {name: dx, type: encode, needs: [conform], params: {codec: dnxhr, encoder: prores_ks}}
)";
    write("pipeline.yaml", yaml);
    const Diagnostics diagnostics = validate();
    EXPECT_EQ(diagnostics.size(), 6u) << diagnostics.to_string();
    expect_one_at(diagnostics, "unknown ProRes encoder 'prores_fast'", pipeline_file(), yaml,
                  "prores_fast");
    expect_one_at(diagnostics, "only prores has a choice of encoder", pipeline_file(), yaml,
                  "prores_ks}");
    expect_one_at(diagnostics, "only h264 takes still_crf_boost", pipeline_file(), yaml, "17");
    expect_one_at(diagnostics, "unknown prores profile 'ultra'", pipeline_file(), yaml, "ultra");
    expect_one_at(diagnostics, "unknown dnxhr profile 'proxy'", pipeline_file(), yaml, "proxy");
    expect_one_at(diagnostics, "'crf': must be between 0 and 51", pipeline_file(), yaml, "99");
}

TEST_F(BuildValidation, ReportsProjectAndPipelineProblemsTogether) {
    const std::string project = R"(storyreel: 1
show: {name: Test, frame_rate: "24", resolution: 64x36}
sequences:
  - name: sq010
    shots:
      - name: sh010
        panels:
          - {name: p001, board: boards/nope.png, frames: 12}
)";
    write("project.yaml", project);
    const std::string pipeline = R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores}}
  - {name: extra, type: sharpen}
)";
    write("pipeline.yaml", pipeline);
    const Diagnostics diagnostics = validate();
    EXPECT_EQ(diagnostics.size(), 2u) << diagnostics.to_string();
    expect_one_at(diagnostics, "board image not found", project_file(), project, "boards/nope.png");
    expect_one_at(diagnostics, "unknown stage type 'sharpen'", pipeline_file(), pipeline,
                  "sharpen");
}

TEST_F(BuildValidation, ReportsOnlySelectionsThatNameNothing) {
    write("project.yaml", kGoodProject);
    const Diagnostics diagnostics = validate(Selection{{"sq010", "sq999", "sq010/sh999"}});
    EXPECT_EQ(diagnostics.size(), 2u) << diagnostics.to_string();
    std::vector<std::string> subjects;
    for (const auto& item : diagnostics.items()) {
        subjects.push_back(item.subject);
        EXPECT_NE(item.message.find("names no sequence or shot"), std::string::npos)
            << item.to_string();
        EXPECT_EQ(item.where.file, project_file().string());
    }
    EXPECT_EQ(subjects, (std::vector<std::string>{"--only sq999", "--only sq010/sh999"}));
}

}  // namespace
}  // namespace storyreel
