// Given a small generated project broken in one way at a time, the storyreel command
// should fail with the right exit code, say which file or panel is at fault, and leave
// no movie, no build.json and no temporary file behind; and a failed rebuild should leave
// the earlier good outputs exactly as they were.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>

#include "demo/demo_project.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fast_pipeline.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::contains;
using testing::read_file;

namespace fs = std::filesystem;

using testing::describe;
using testing::list_files_recursive;
using testing::run_storyreel;
using testing::write_file;

/// True for a path (relative to the output folder) that is not inside or itself a hidden
/// entry: the outputs a user sees, as opposed to e.g. a hidden cache folder.
bool is_visible(const fs::path& relative) {
    for (const auto& part : relative)
        if (part.string().rfind('.', 0) == 0) return false;
    return true;
}

/// No temporary file anywhere below `out`: no ".<name>.partial-*" file, no
/// ".storyreel-work-*" folder, no ".storyreel-write-test-*" probe.
::testing::AssertionResult no_temporaries(const fs::path& out) {
    for (const auto& entry : list_files_recursive(out)) {
        const std::string name = entry.filename().string();
        if (contains(name, ".partial") || name.rfind(".storyreel-work-", 0) == 0 ||
            name.rfind(".storyreel-write-test", 0) == 0)
            return ::testing::AssertionFailure() << "temporary left in " << out << ": " << entry;
    }
    return ::testing::AssertionSuccess();
}

/// A failed build must leave nothing under a final name and no temporary file: no movie
/// and no build.json among the visible files (a hidden cache may keep what it likes).
::testing::AssertionResult left_nothing_behind(const fs::path& out) {
    for (const auto& entry : list_files_recursive(out)) {
        const std::string name = entry.filename().string();
        const std::string extension = entry.extension().string();
        if (is_visible(entry) &&
            (extension == ".mov" || extension == ".mp4" || name == "build.json"))
            return ::testing::AssertionFailure() << "output left in " << out << ": " << entry;
    }
    return no_temporaries(out);
}

class BadInput : public ::testing::Test {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 1;
        options.panels_per_shot = 3;
        options.min_hold_frames = 6;
        options.max_hold_frames = 12;
        options.width = 640;
        options.height = 360;
        options.varied_formats = false;  // plain PNG boards: what the tests break is known
        options.with_audio = true;
        project_ = demo::write_demo_project(project_dir(), options);
        ASSERT_EQ(project_.panels.size(), 3u);
        ASSERT_FALSE(project_.audio_file.empty());
        write_file(pipeline_file(), testing::kFastProxyPipeline);
    }

    fs::path project_dir() const { return dir_.path() / "project"; }
    fs::path project_file() const { return project_.project_file; }
    fs::path pipeline_file() const { return dir_.path() / "pipeline.yaml"; }
    fs::path out_dir() const { return dir_.path() / "out"; }

    /// The board of the middle panel, so a failure happens with a movie already begun.
    fs::path middle_board() const { return project_dir() / project_.panels[1].board_file; }
    /// "sq010/sh010/p002": how messages name the middle panel.
    std::string middle_panel() const {
        const auto& panel = project_.panels[1];
        return panel.sequence + "/" + panel.shot + "/" + panel.panel;
    }

    testing::CliResult build(const fs::path& out) const {
        return run_storyreel({"build", "--project", project_file().string(), "--pipeline",
                              pipeline_file().string(), "--out", out.string()});
    }
    testing::CliResult build() const { return build(out_dir()); }

    /// Replaces the first match of `pattern` in project.yaml.
    void edit_project(const std::string& pattern, const std::string& replacement) const {
        const std::string text = read_file(project_file());
        const std::string edited = std::regex_replace(text, std::regex(pattern), replacement,
                                                      std::regex_constants::format_first_only);
        ASSERT_NE(edited, text) << "pattern " << pattern << " not found in\n" << text;
        write_file(project_file(), edited);
    }

    testing::TempDir dir_;
    demo::DemoProject project_;
};

// ---------------------------------------------------------------------------------------
// Bad command lines: exit 64, nothing read or written.

TEST(BadInputCommandLine, IsAUsageError) {
    testing::TempDir dir;
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{},
          {"build", "--project", "."},
          {"build", "--project", ".", "--out", "out", "--jobs", "0"},
          {"validate", "--project", ".", "--bogus"}}) {
        const auto result = run_storyreel(args, dir.path());
        EXPECT_EQ(result.exit_code, kExitUsage) << describe(result);
        EXPECT_FALSE(result.err.empty()) << describe(result);
    }
    EXPECT_TRUE(list_files_recursive(dir.path()).empty());
    const auto version = run_storyreel({"--version"});
    EXPECT_EQ(version.exit_code, kExitOk) << describe(version);
    EXPECT_TRUE(contains(version.out, "storyreel ")) << describe(version);
}

// ---------------------------------------------------------------------------------------
// Problems found by validation: exit 2, nothing written.

TEST_F(BadInput, MissingBoardIsAConfigErrorNamingPanelAndPath) {
    fs::remove(middle_board());
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_panel())) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_board().string())) << describe(result);
    EXPECT_TRUE(contains(result.err, project_file().string() + ":")) << describe(result);
    EXPECT_FALSE(fs::exists(out_dir())) << "validation failed, so nothing should be created";
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, YamlSyntaxErrorGivesFileLineAndColumn) {
    edit_project(R"(name: p002)", "name: [p002");
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    const std::regex place(std::regex_replace(project_file().string(),
                                              std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                           R"(:\d+:\d+: .*YAML syntax error)");
    EXPECT_TRUE(std::regex_search(result.err, place)) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, ZeroHoldIsAConfigError) {
    edit_project(R"(frames: \d+)", "frames: 0");
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, "at least one frame")) << describe(result);
    EXPECT_TRUE(std::regex_search(result.err, std::regex(R"(project\.yaml:\d+:\d+: )")))
        << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, UnknownStageTypeIsAConfigError) {
    write_file(pipeline_file(), R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: blur, type: gaussian_blur, needs: [conform]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
)");
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, pipeline_file().string() + ":5:")) << describe(result);
    EXPECT_TRUE(contains(result.err, "unknown stage type 'gaussian_blur'")) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, CycleInNeedsIsAConfigError) {
    write_file(pipeline_file(), R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest, regrade]}
  - {name: regrade, type: conform, needs: [conform]}
  - {name: prores, type: encode, needs: [regrade], params: {codec: prores, profile: proxy}}
)");
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, "cycle in needs")) << describe(result);
    EXPECT_TRUE(contains(result.err, "conform -> regrade -> conform")) << describe(result);
    EXPECT_TRUE(contains(result.err, pipeline_file().string() + ":4:")) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, ValidateListsEveryProblemAtOnce) {
    fs::remove(middle_board());
    edit_project(R"(frames: \d+)", "frames: 0");
    write_file(pipeline_file(), R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: blur, type: gaussian_blur, needs: [conform]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
)");
    const auto result = run_storyreel(
        {"validate", "--project", project_dir().string(), "--pipeline", pipeline_file().string()});
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, "3 problems found")) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_board().string())) << describe(result);
    EXPECT_TRUE(contains(result.err, "at least one frame")) << describe(result);
    EXPECT_TRUE(contains(result.err, "gaussian_blur")) << describe(result);
    EXPECT_TRUE(result.out.empty()) << describe(result);
}

// ---------------------------------------------------------------------------------------
// Problems found during work: exit 1, nothing left under a final name.

TEST_F(BadInput, TruncatedBoardFailsTheBuildNamingPanelAndPath) {
    const std::string bytes = read_file(middle_board());
    ASSERT_GT(bytes.size(), 100u);
    write_file(middle_board(), bytes.substr(0, 100));
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitBuildFailed) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_panel())) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_board().string())) << describe(result);
    EXPECT_FALSE(contains(result.out, "report:")) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, GarbageWithAPngNameFailsTheBuildNamingPanelAndPath) {
    write_file(middle_board(), std::string(4096, 'x'));
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitBuildFailed) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_panel())) << describe(result);
    EXPECT_TRUE(contains(result.err, middle_board().string())) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, UnreadableAudioFailsTheBuildNamingTheFile) {
    const fs::path audio = project_dir() / project_.audio_file;
    std::string garbage;
    for (int i = 0; i < 8192; ++i) garbage += static_cast<char>((i * 7919) % 251);
    write_file(audio, garbage);
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitBuildFailed) << describe(result);
    EXPECT_TRUE(contains(result.err, audio.string())) << describe(result);
    EXPECT_TRUE(left_nothing_behind(out_dir()));
}

TEST_F(BadInput, OutputBeneathAFileFailsNamingTheFolder) {
    // Tests run as root, so permissions cannot make a folder unwritable; a regular file
    // where a folder should be can.
    write_file(dir_.path() / "afile", "not a folder\n");
    const fs::path out = dir_.path() / "afile" / "out";
    const auto result = build(out);
    EXPECT_NE(result.exit_code, kExitOk) << describe(result);
    EXPECT_NE(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, out.string())) << describe(result);
    EXPECT_EQ(read_file(dir_.path() / "afile"), "not a folder\n");
    EXPECT_TRUE(left_nothing_behind(dir_.path()));
}

// ---------------------------------------------------------------------------------------
// A failed rebuild keeps the earlier outputs.

struct FileState {
    std::string bytes;
    fs::file_time_type modified;
};

/// The visible files of an output folder (movies, build.json), with bytes and mtime.
std::map<fs::path, FileState> snapshot(const fs::path& dir) {
    std::map<fs::path, FileState> files;
    for (const auto& entry : list_files_recursive(dir))
        if (is_visible(entry) && fs::is_regular_file(dir / entry))
            files[entry] = {read_file(dir / entry), fs::last_write_time(dir / entry)};
    return files;
}

TEST_F(BadInput, FailedRebuildLeavesEarlierOutputsIntact) {
    const auto first = build();
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    const auto before = snapshot(out_dir());
    ASSERT_EQ(before.count("build.json"), 1u);
    const bool has_movie = std::any_of(before.begin(), before.end(), [](const auto& file) {
        return file.first.extension() == ".mov";
    });
    ASSERT_TRUE(has_movie) << "the first build wrote no movie";

    const std::string bytes = read_file(middle_board());
    write_file(middle_board(), bytes.substr(0, 100));
    const auto second = build();
    EXPECT_EQ(second.exit_code, kExitBuildFailed) << describe(second);
    EXPECT_TRUE(contains(second.err, middle_panel())) << describe(second);

    const auto after = snapshot(out_dir());
    ASSERT_EQ(after.size(), before.size()) << "files were added or removed";
    for (const auto& [name, state] : before) {
        const auto it = after.find(name);
        ASSERT_NE(it, after.end()) << name << " disappeared";
        EXPECT_TRUE(it->second.bytes == state.bytes) << name << " changed";
        EXPECT_EQ(it->second.modified, state.modified) << name << " was rewritten";
    }
    EXPECT_TRUE(no_temporaries(out_dir()));
}

TEST_F(BadInput, FailedRebuildOfALaterSequenceKeepsEarlierSequences) {
    demo::DemoOptions options;
    options.sequences = 2;
    options.shots_per_sequence = 1;
    options.panels_per_shot = 3;
    options.min_hold_frames = 6;
    options.max_hold_frames = 12;
    options.width = 640;
    options.height = 360;
    options.varied_formats = false;
    fs::remove_all(project_dir());
    project_ = demo::write_demo_project(project_dir(), options);
    const auto first = build();
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    const auto before = snapshot(out_dir());

    // Change sq010 (its first hold) and break the last board of sq020.
    edit_project(R"(frames: \d+)", "frames: 5");
    write_file(project_dir() / project_.panels.back().board_file, "not a png");
    const auto second = build();
    EXPECT_EQ(second.exit_code, kExitBuildFailed) << describe(second);

    const auto after = snapshot(out_dir());
    for (const auto& [name, state] : before) {
        const auto it = after.find(name);
        ASSERT_NE(it, after.end()) << name << " disappeared";
        EXPECT_TRUE(it->second.bytes == state.bytes) << name << " changed";
    }
}

}  // namespace
}  // namespace storyreel
