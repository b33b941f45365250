// Given inputs written as a hostile user would (deeply nested JSON, one enormous line,
// numbers with hundreds of digits, alias bombs, absurd times, edited state files), the
// storyreel command should answer with a message naming the file (and line, where there
// is one) and a documented exit code: never a signal, an abort or "terminate called", and
// never a file under a final name.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <string>

#include "demo/demo_project.h"
#include "pipeline/exit_codes.h"
#include "tests/support/cli_runner.h"
#include "tests/support/fast_pipeline.h"
#include "tests/support/file_bytes.h"
#include "tests/support/publish_test_support.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;

using testing::describe;
using testing::list_files_recursive;
using testing::read_file;
using testing::run_storyreel;
using testing::write_file;

/// The run ended with `code` and a message of storyreel's own (no signal, no abort, no
/// "terminate called", no raw library exception text) that names `file`.
::testing::AssertionResult refused(const testing::CliResult& result, int code,
                                   const std::string& file) {
    if (result.exit_code != code)
        return ::testing::AssertionFailure()
               << "exit " << result.exit_code << ", expected " << code << "\n"
               << describe(result);
    for (const char* crash : {"terminate called", "Aborted", "Segmentation", "internal error",
                              "stoll", "stoi", "stol:", "[json.exception"})
        if (contains(result.err, crash))
            return ::testing::AssertionFailure() << "'" << crash << "' in the output\n"
                                                 << describe(result);
    if (!contains(result.err, file))
        return ::testing::AssertionFailure() << "the message does not name " << file << "\n"
                                             << describe(result);
    return ::testing::AssertionSuccess();
}

/// No movie, build.json or temporary file anywhere below `out` (a hidden cache may stay).
::testing::AssertionResult nothing_written(const fs::path& out) {
    for (const auto& entry : list_files_recursive(out)) {
        const std::string name = entry.filename().string();
        if (entry.string().rfind(".storyreel-cache", 0) == 0) continue;
        if (entry.extension() == ".mov" || name == "build.json" || contains(name, ".partial") ||
            name.rfind(".storyreel-work-", 0) == 0)
            return ::testing::AssertionFailure() << "left in " << out << ": " << entry;
    }
    return ::testing::AssertionSuccess();
}

class HostileInput : public ::testing::Test {
  protected:
    void SetUp() override {
        demo::DemoOptions options;
        options.sequences = 1;
        options.shots_per_sequence = 1;
        options.panels_per_shot = 3;
        options.min_hold_frames = 6;
        options.max_hold_frames = 12;
        options.width = 320;
        options.height = 180;
        options.varied_formats = false;
        options.with_audio = true;
        project_ = demo::write_demo_project(dir_.path() / "project", options);
        write_file(pipeline_file(), testing::kFastProxyPipeline);
    }

    fs::path project_file() const { return project_.project_file; }
    fs::path pipeline_file() const { return dir_.path() / "pipeline.yaml"; }
    fs::path out_dir() const { return dir_.path() / "out"; }
    fs::path board(std::size_t index) const {
        return dir_.path() / "project" / project_.panels[index].board_file;
    }

    testing::CliResult validate(const fs::path& project) const {
        return run_storyreel(
            {"validate", "--project", project.string(), "--pipeline", pipeline_file().string()});
    }
    testing::CliResult build() const {
        return run_storyreel({"build", "--project", project_file().string(), "--pipeline",
                              pipeline_file().string(), "--out", out_dir().string()});
    }

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
// Class 3: inputs that crashed the command.

/// A Storyboarder scene whose `key` holds `depth` nested lists.
std::string nested_scene(const std::string& key, int depth) {
    return R"({"version": "1.6.0", "fps": 24, "boards": [], ")" + key +
           "\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

TEST(HostileStoryboarder, DeeplyNestedSceneJsonIsAMessageNamingTheFile) {
    testing::TempDir dir;
    for (const std::string& key :
         {std::string("fps"), std::string("aspectRatio"), std::string("boards")}) {
        const fs::path scene = dir.path() / ("deep-" + key) / ("deep-" + key + ".storyboarder");
        write_file(scene, nested_scene(key, 1'000'000));
        const auto result = run_storyreel({"validate", "--project", scene.string()});
        EXPECT_TRUE(refused(result, kExitInvalidConfig, scene.string())) << key;
        EXPECT_TRUE(contains(result.err, "nested deeper than 64")) << describe(result);
    }
}

/// A Storyboarder project folder: settings, a script and one scene folder named `scene`.
fs::path storyboarder_project(const fs::path& folder, const std::string& script,
                              const std::string& scene) {
    write_file(folder / "storyboards" / "storyboard.settings", R"({"aspectRatio": 1.7777})");
    write_file(folder / "script.fountain", script);
    fs::create_directories(folder / "storyboards" / scene);
    return folder;
}

TEST(HostileStoryboarder, AFountainScriptWithOneVeryLongLineIsRead) {
    testing::TempDir dir;
    const std::string long_heading = "INT. " + std::string(4'000'000, 'A') + " #1-ABCDE#\n";
    const fs::path project = storyboarder_project(
        dir.path() / "long", "Title: Long\n\n" + long_heading, "Scene-1-INT-A-1-ABCDE");
    const auto result = run_storyreel({"validate", "--project", project.string()});
    // The heading is read (its scene folder has no scene file): a message, not a crash.
    EXPECT_TRUE(refused(result, kExitInvalidConfig, "Scene-1-INT-A-1-ABCDE.storyboarder"))
        << describe(result);
}

TEST(HostileStoryboarder, AnOverflowingSceneNumberNamesTheFolder) {
    testing::TempDir dir;
    const std::string folder = "Scene-" + std::string(40, '9') + "-INT-HOUSE-1-ABCDE";
    const fs::path project =
        storyboarder_project(dir.path() / "overflow", "INT. HOUSE #1-ABCDE#\n", folder);
    const auto result = run_storyreel({"validate", "--project", project.string()});
    EXPECT_TRUE(refused(result, kExitInvalidConfig, folder)) << describe(result);
    EXPECT_TRUE(contains(result.err, "scene number")) << describe(result);
}

TEST(HostileDemo, AnOverflowingFrameRateIsAUsageErrorNotAnInternalOne) {
    // Twenty digits: std::stoll would throw out_of_range, which now reaches the last-resort
    // handler (exit 70) if a command lets it escape.
    testing::TempDir dir;
    for (const std::string rate : {"99999999999999999999", "24/99999999999999999999", "0"}) {
        const auto result =
            run_storyreel({"demo", (dir.path() / "demo").string(), "--frame-rate", rate});
        EXPECT_EQ(result.exit_code, kExitUsage) << rate << testing::describe(result);
        EXPECT_NE(result.err.find("frame_rate '" + rate + "' is not supported"), std::string::npos)
            << result.err;
    }
}

TEST_F(HostileInput, AnOverflowingEdlDissolveLengthNamesTheFileAndLine) {
    const fs::path edl = dir_.path() / "project" / "cut.edl";
    const auto& first = project_.panels[0];
    write_file(edl,
               "TITLE: cut\nFCM: NON-DROP FRAME\n\n"
               "001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
               "* FROM CLIP NAME: " +
                   first.sequence + "/" + first.shot + "/" + first.panel +
                   "\n"
                   "002  AX       V     D    99999999999999999999999 00:00:00:00 00:00:01:00 "
                   "01:00:01:00 01:00:02:00\n");
    edit_project(R"(storyreel: 1\n)", "storyreel: 1\ncut: cut.edl\n");
    const auto result = validate(project_file());
    EXPECT_TRUE(refused(result, kExitInvalidConfig, edl.string() + ":6:")) << describe(result);
    EXPECT_TRUE(contains(result.err, "transition length")) << describe(result);
}

TEST_F(HostileInput, AnOverflowingBoardVersionStillSlatesTheNewestVersion) {
    const fs::path renamed = board(1).parent_path() / ("p002_v" + std::string(30, '9') + ".png");
    fs::rename(board(1), renamed);
    edit_project(project_.panels[1].board_file,
                 fs::relative(renamed, dir_.path() / "project").string());
    std::string pipeline = testing::kFastProxyPipeline;
    pipeline.replace(
        pipeline.find("  - {name: prores"), 0,
        "  - {name: slate, type: slate, params: {frames: 12, fields: [show, version]}}\n");
    pipeline.replace(pipeline.find("needs: [conform, audio]"), 23,
                     "needs: [conform, audio, slate]");
    write_file(pipeline_file(), pipeline);
    const auto result = build();
    EXPECT_EQ(result.exit_code, kExitOk) << describe(result);
    EXPECT_FALSE(contains(result.err, "stol")) << describe(result);
}

TEST_F(HostileInput, AResolutionWithHundredsOfDigitsIsAValidationProblem) {
    // 200,000 digits: std::regex recursed per digit and overflowed the stack.
    edit_project(R"(resolution: \S+)", "resolution: " + std::string(200'000, '9') + "x1080");
    const auto result = build();
    EXPECT_TRUE(refused(result, kExitInvalidConfig, project_file().string() + ":"))
        << describe(result);
    EXPECT_TRUE(contains(result.err, "'resolution'")) << describe(result);
    EXPECT_TRUE(nothing_written(out_dir()));
}

// ---------------------------------------------------------------------------------------
// Class 4: small inputs asking for unbounded work.

/// A top-level YAML key `key` holding ten levels of nine aliases each: 9^10 (3.5 billion)
/// values once expanded, from 400 bytes.
std::string alias_bomb(const std::string& key) {
    std::string bomb = key + ":\n  - &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (int level = 1; level < 10; ++level) {
        bomb += "  - &a" + std::to_string(level) + " [";
        for (int i = 0; i < 9; ++i) bomb += (i ? ", *a" : "*a") + std::to_string(level - 1);
        bomb += "]\n";
    }
    return bomb;
}

TEST_F(HostileInput, AnAliasBombIsRefusedQuicklyNamingTheLimit) {
    edit_project(R"(storyreel: 1\n)", "storyreel: 1\n" + alias_bomb("notes"));
    const auto start = std::chrono::steady_clock::now();
    const auto result = build();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    EXPECT_TRUE(refused(result, kExitInvalidConfig, project_file().string() + ":"))
        << describe(result);
    EXPECT_TRUE(contains(result.err, "max_yaml_nodes")) << describe(result);
    EXPECT_TRUE(nothing_written(out_dir()));
}

TEST_F(HostileInput, AnAliasBombInThePipelineIsRefusedToo) {
    write_file(pipeline_file(), testing::kFastProxyPipeline + alias_bomb("x-bomb"));
    const auto result = build();
    EXPECT_TRUE(refused(result, kExitInvalidConfig, pipeline_file().string())) << describe(result);
    EXPECT_TRUE(contains(result.err, "max_yaml_nodes")) << describe(result);
}

TEST_F(HostileInput, AHoldOf100MillionFramesIsRefusedBeforeAnyWork) {
    edit_project(R"(frames: \d+)", "frames: 100000000");
    const auto start = std::chrono::steady_clock::now();
    const auto result = build();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
    EXPECT_TRUE(refused(result, kExitInvalidConfig, project_file().string() + ":"))
        << describe(result);
    EXPECT_TRUE(contains(result.err, "max_hold_seconds")) << describe(result);
    EXPECT_TRUE(nothing_written(out_dir()));
}

TEST_F(HostileInput, ABoardOverThePixelLimitIsRefusedFromItsHeader) {
    OIIO::ImageBuf wide(OIIO::ImageSpec(16400, 8, 3, OIIO::TypeDesc::UINT8));
    OIIO::ImageBufAlgo::zero(wide);
    ASSERT_TRUE(wide.write(board(1).string()));
    // Refused while validating (exit 2), from the board's header, with the panel named:
    // by `validate` and by a build before any work starts.
    const auto& panel = project_.panels[1];
    const std::string where = panel.sequence + "/" + panel.shot + "/" + panel.panel;
    const auto validated = run_storyreel({"validate", "--project", project_file().string()});
    EXPECT_TRUE(refused(validated, kExitInvalidConfig, where)) << describe(validated);
    EXPECT_TRUE(contains(validated.err, "max_board_side")) << describe(validated);
    const auto result = build();
    EXPECT_TRUE(refused(result, kExitInvalidConfig, where)) << describe(result);
    EXPECT_TRUE(contains(result.err, "max_board_side")) << describe(result);
    EXPECT_TRUE(nothing_written(out_dir()));
}

// ---------------------------------------------------------------------------------------
// Class 5: accepted what should be refused.

TEST_F(HostileInput, AStartTimecodeWithHour25IsRefused) {
    edit_project(R"(start_timecode: \S+)", "start_timecode: \"25:00:00:00\"");
    const auto result = validate(project_file());
    EXPECT_TRUE(refused(result, kExitInvalidConfig, project_file().string() + ":"))
        << describe(result);
    EXPECT_TRUE(contains(result.err, "'start_timecode'")) << describe(result);
}

TEST_F(HostileInput, AnAudioGainOfNaNOrHugeIsRefusedWithFileAndLine) {
    for (const std::string gain : {".nan", "1e30"}) {
        const std::string text = read_file(project_file());
        edit_project(R"((\n\s*)- file: ([^\n]+))", "$1- file: $2$1  gain_db: " + gain);
        const auto result = validate(project_file());
        EXPECT_TRUE(refused(result, kExitInvalidConfig, project_file().string() + ":"))
            << describe(result);
        EXPECT_TRUE(contains(result.err, "'gain_db'")) << describe(result);
        write_file(project_file(), text);
    }
}

/// An OTIO cut of the demo's first panel whose clip lasts `value` frames at 24 fps.
std::string otio_with_duration(const std::string& clip_name, const std::string& value) {
    return R"({"OTIO_SCHEMA": "Timeline.1", "name": "cut", "tracks": {"OTIO_SCHEMA": "Stack.1", "children": [
  {"OTIO_SCHEMA": "Track.1", "kind": "Video", "children": [
    {"OTIO_SCHEMA": "Clip.2", "name": ")" +
           clip_name + R"(",
     "source_range": {"OTIO_SCHEMA": "TimeRange.1",
       "start_time": {"OTIO_SCHEMA": "RationalTime.1", "value": 0, "rate": 24},
       "duration": {"OTIO_SCHEMA": "RationalTime.1", "value": )" +
           value + R"(, "rate": 24}}}]}]}})";
}

TEST_F(HostileInput, AbsurdOtioTimesAreRefusedNamingFileAndClip) {
    const auto& first = project_.panels[0];
    const std::string name = first.sequence + "/" + first.shot + "/" + first.panel;
    const fs::path otio = dir_.path() / "project" / "cut.otio";
    edit_project(R"(storyreel: 1\n)", "storyreel: 1\ncut: cut.otio\n");
    for (const std::string value : {"-48", "1e300", "3000000"}) {
        write_file(otio, otio_with_duration(name, value));
        const auto result = validate(project_file());
        EXPECT_TRUE(refused(result, kExitInvalidConfig, otio.string())) << value;
        EXPECT_TRUE(contains(result.err, "clip 1 '" + name + "'")) << describe(result);
    }
}

TEST(HostileCache, AStampWithAFormatOfAnotherTypeIsNoStampNotAJsonError) {
    testing::TempDir dir;
    const fs::path cache = dir.path() / "cache";
    write_file(cache / "storyreel-cache.json", R"({"format": 5, "version": 1})");
    for (const std::vector<std::string>& command :
         {std::vector<std::string>{"cache", "stats", "--cache", cache.string()},
          std::vector<std::string>{"cache", "gc", "--cache", cache.string(), "--max-size", "0"}}) {
        const auto result = run_storyreel(command);
        EXPECT_NE(result.exit_code, kExitOk) << describe(result);
        EXPECT_TRUE(refused(result, result.exit_code, cache.string())) << describe(result);
        EXPECT_NE(result.exit_code, kExitInternalError) << describe(result);
    }
    EXPECT_EQ(list_files_recursive(cache), std::vector<fs::path>{"storyreel-cache.json"});
}

// ---------------------------------------------------------------------------------------
// Editor-side files: publish/pull state and published manifests.

class HostilePublished : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto built = workspace_.publish();
        ASSERT_EQ(built.exit_code, kExitOk) << describe(built);
        ASSERT_EQ(pull().exit_code, kExitOk);
    }
    fs::path root() const { return workspace_.root(); }
    fs::path editor() const { return workspace_.dir.path() / "editor"; }
    testing::CliResult pull() const {
        return run_storyreel({"pull", "--publish", root().string(), "--sequence", "sq010", "--to",
                              editor().string()});
    }

    publish_test::PublishWorkspace workspace_;
};

TEST_F(HostilePublished, APullStateWithWrongTypesNamesTheFileTheKeyAndWhatToDo) {
    const fs::path state = editor() / ".storyreel-pull.json";
    const std::string good = read_file(state);
    const std::regex show_key(R"x("([^"]+/[^"]+)": \{)x");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(good, match, show_key)) << good;
    const std::string key = match[1];
    for (const std::string& bad :
         {"{\"" + key + "\": 7}", "{\"" + key + "\": {\"version\": \"one\"}}",
          "{\"" + key + "\": {\"files\": {\"a.mov\": {\"sha256\": 12}}}}",
          "{\"" + key + "\": {\"files\": [1, 2]}}"}) {
        write_file(state, bad);
        const auto before = list_files_recursive(editor());
        const auto result = pull();
        EXPECT_TRUE(refused(result, kExitBuildFailed, state.string())) << bad;
        EXPECT_TRUE(contains(result.err, "'" + key)) << describe(result);
        EXPECT_TRUE(contains(result.err, "delete it and pull again")) << describe(result);
        EXPECT_EQ(list_files_recursive(editor()), before) << "a refused pull changes nothing";
    }
}

TEST_F(HostilePublished, ADamagedManifestNamesTheManifest) {
    const fs::path manifest = workspace_.sequence_folder("sq010") / "v001" / "manifest.json";
    ASSERT_TRUE(fs::exists(manifest));
    std::string text = read_file(manifest);
    text.replace(text.find("\"outputs\""), 9, "\"outputs_\"");
    write_file(manifest, text);
    fs::remove_all(editor());
    const auto result = pull();
    EXPECT_TRUE(refused(result, kExitBuildFailed, manifest.string())) << describe(result);
    EXPECT_FALSE(fs::exists(editor() / "CHANGES.txt")) << "nothing pulled";
}

TEST_F(HostilePublished, AManifestPointingOutOfItsVersionIsRefusedBeforeAnythingIsRead) {
    const fs::path manifest = workspace_.sequence_folder("sq010") / "v001" / "manifest.json";
    const std::string good = read_file(manifest);
    const fs::path outside = workspace_.dir.path() / "outside.mov";
    write_file(outside, "not a published file");
    for (const std::string& forged : {std::string("../../../../outside.mov"), outside.string(),
                                      std::string("./sq010_prores.mov"), std::string()}) {
        auto document = nlohmann::json::parse(good);
        document["outputs"][0]["file"] = forged;
        write_file(manifest, document.dump(2));
        fs::remove_all(editor());
        const auto result = pull();
        EXPECT_TRUE(refused(result, kExitBuildFailed, manifest.string())) << forged;
        EXPECT_TRUE(contains(result.err, "is not a file of the version folder"))
            << describe(result);
        EXPECT_FALSE(fs::exists(editor() / "CHANGES.txt")) << "nothing pulled";
    }
}

}  // namespace
}  // namespace storyreel
