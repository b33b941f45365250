// `storyreel check` and the checks in `build`, end to end: exit codes (--fail-on), the
// JSON against docs/checks.schema.json, a build with findings still making its movies and
// recording the findings in build.json, signatures computed once and then kept, the
// Storyboarder sample's breakdown from its Fountain script, and unreadable scripts.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "checks/finding.h"
#include "tests/support/check_projects.h"
#include "tests/support/cli_runner.h"
#include "tests/support/json_schema.h"
#include "tests/support/shared_samples.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_storyreel;
using testing::TestPanel;

TestPanel panel(std::string name, int frames, std::string dialogue = {}) {
    TestPanel p;
    p.name = std::move(name);
    p.frames = frames;
    p.dialogue = std::move(dialogue);
    return p;
}

json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

/// Ingest, conform, a ProRes proxy movie: the smallest build that makes a movie.
fs::path prores_pipeline(const fs::path& dir) {
    const fs::path pipeline = dir / "p.yaml";
    std::ofstream(pipeline)
        << "pipeline: 1\nstages:\n  - {name: ingest, type: ingest}\n"
           "  - {name: conform, type: conform, needs: [ingest]}\n"
           "  - {name: prores, type: encode, needs: [conform], params: {codec: prores, "
           "profile: proxy}}\n";
    return pipeline;
}

/// p002 cannot be said in its hold (an error); p003's board repeats p001's (a warning).
fs::path project_with_findings(const fs::path& dir) {
    TestPanel repeat = panel("p003", 48);
    repeat.shot = "sh020";
    repeat.board = "p001.png";
    return testing::write_check_project(
        dir, {panel("p001", 48),
              panel("p002", 24, "one two three four five six seven eight nine ten"), repeat});
}

TEST(CheckCommand, ExitsThreeAtOrAboveFailOnAndZeroBelow) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const std::string cache = (dir.path() / "cache").string();
    auto result = run_storyreel({"check", "--project", project.string(), "--cache", cache});
    EXPECT_EQ(result.exit_code, 3) << testing::describe(result);
    EXPECT_NE(result.out.find("dialogue_pace"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("sh010/p002"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("01:00:02:00"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("1 error, 1 warning"), std::string::npos) << result.out;
    result = run_storyreel(
        {"check", "--project", project.string(), "--cache", cache, "--fail-on", "never"});
    EXPECT_EQ(result.exit_code, 0) << testing::describe(result);

    // Only a warning left: error passes, warning fails.
    const fs::path warning_only = testing::write_check_project(
        dir.path() / "w", {panel("p001", 48, "one two three four five six seven")});
    result = run_storyreel({"check", "--project", warning_only.string(), "--cache", cache});
    EXPECT_EQ(result.exit_code, 0) << testing::describe(result);
    result = run_storyreel(
        {"check", "--project", warning_only.string(), "--cache", cache, "--fail-on", "warning"});
    EXPECT_EQ(result.exit_code, 3) << testing::describe(result);
    result = run_storyreel(
        {"check", "--project", warning_only.string(), "--cache", cache, "--fail-on", "sometimes"});
    EXPECT_EQ(result.exit_code, 64) << testing::describe(result);
}

TEST(CheckCommand, ItsCacheIsAStampedCacheTheCacheCommandsRecognise) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const fs::path cache = dir.path() / "new cache";
    const auto result = run_storyreel(
        {"check", "--project", project.string(), "--cache", cache.string(), "--fail-on", "never"});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    EXPECT_TRUE(fs::is_regular_file(cache / "storyreel-cache.json"));
    const auto stats = run_storyreel({"cache", "stats", "--cache", cache.string()});
    EXPECT_EQ(stats.exit_code, 0) << testing::describe(stats);
    EXPECT_EQ(stats.out.find("earlier storyreel"), std::string::npos) << stats.out;
    EXPECT_EQ(stats.err.find("earlier storyreel"), std::string::npos) << stats.err;
}

TEST(CheckCommand, WritesJsonThatHoldsToItsDocumentedSchemaAndReadsBack) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const fs::path out = dir.path() / "checks.json";
    const auto result = run_storyreel({"check", "--project", project.string(), "--cache",
                                       (dir.path() / "cache").string(), "--json", out.string(),
                                       "--fail-on", "never"});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const json document = read_json(out);
    const json schema = read_json(fs::path(STORYREEL_SOURCE_DIR) / "docs" / "checks.schema.json");
    const auto violations = testing::schema_violations(document, schema);
    EXPECT_TRUE(violations.empty()) << violations.front();
    EXPECT_EQ(document["format_version"], 1);
    ASSERT_EQ(document["findings"].size(), 2u);
    EXPECT_EQ(document["findings"][0]["rule"], "dialogue_pace");
    EXPECT_EQ(document["findings"][0]["panel"], "p002");
    EXPECT_EQ(document["findings"][0]["measured"], 10.0);
    EXPECT_EQ(document["findings"][0]["limit"], 4.0);
    EXPECT_EQ(document["findings"][1]["rule"], "duplicate_board");
    // Round trip: read back and written again, the same document.
    EXPECT_EQ(checks::to_json(checks::check_report_from_json(document)), document);
    // The validator itself rejects a broken document.
    json broken = document;
    broken["findings"][0]["severity"] = "fatal";
    broken["findings"][1].erase("hint");
    EXPECT_EQ(testing::schema_violations(broken, schema).size(), 2u);
}

TEST(CheckCommand, KeepsBoardSignaturesSoTheSecondRunReadsNoBoard) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const std::string cache = (dir.path() / "cache").string();
    auto first = run_storyreel(
        {"check", "--project", project.string(), "--cache", cache, "--fail-on", "never"});
    EXPECT_NE(first.err.find("2 board signatures computed"), std::string::npos)
        << testing::describe(first);
    auto second = run_storyreel(
        {"check", "--project", project.string(), "--cache", cache, "--fail-on", "never"});
    EXPECT_NE(second.err.find("0 board signatures computed"), std::string::npos)
        << testing::describe(second);
    EXPECT_EQ(first.out, second.out);
}

TEST(BuildChecks, ABuildWithFindingsMakesItsMoviesAndListsTheFindingsInBuildJson) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const fs::path pipeline = prores_pipeline(dir.path());
    "prores, profile: proxy}}\n";
    const fs::path out = dir.path() / "out";
    auto result = run_storyreel({"build", "--project", project.string(), "--pipeline",
                                 pipeline.string(), "--out", out.string()});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    EXPECT_NE(result.out.find("checks: 1 error, 1 warning, 0 info"), std::string::npos)
        << result.out;
    const json report = read_json(out / "build.json");
    ASSERT_TRUE(report["outputs"].size() == 1u);
    EXPECT_TRUE(fs::exists(report["outputs"][0]["path"].get<std::string>()));
    ASSERT_EQ(report["checks"]["findings"].size(), 2u);
    EXPECT_EQ(report["checks"]["findings"][0]["rule"], "dialogue_pace");
    EXPECT_EQ(report["breakdown"][0]["boards"], 3);
    // The conform stage recorded every board's signature: a check sharing the cache reads none.
    auto check =
        run_storyreel({"check", "--project", project.string(), "--pipeline", pipeline.string(),
                       "--cache", (out / ".storyreel-cache").string(), "--fail-on", "never"});
    EXPECT_NE(check.err.find("0 board signatures computed"), std::string::npos)
        << testing::describe(check);
    // --fail-on error: exit 3, the movie is still made.
    fs::remove_all(out);
    result = run_storyreel({"build", "--project", project.string(), "--pipeline", pipeline.string(),
                            "--out", out.string(), "--fail-on", "error"});
    EXPECT_EQ(result.exit_code, 3) << testing::describe(result);
    EXPECT_TRUE(fs::exists(read_json(out / "build.json")["outputs"][0]["path"].get<std::string>()));
}

TEST(CheckCommand, GivenABadChecksBlockValidateAndCheckListItWithFileLine) {
    testing::TempDir dir;
    const fs::path project = testing::write_check_project(
        dir.path() / "p", {panel("p001", 48)}, "checks:\n  dead_air: {slack_seconds: -2}\n");
    const auto check = run_storyreel(
        {"check", "--project", project.string(), "--cache", (dir.path() / "c").string()});
    const auto validate = run_storyreel({"validate", "--project", project.string()});
    for (const auto& result : {check, validate}) {
        EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
        EXPECT_NE(result.err.find("project.yaml:4:"), std::string::npos)
            << testing::describe(result);
        EXPECT_NE(result.err.find("checks.dead_air: 'slack_seconds': must not be negative, got -2"),
                  std::string::npos)
            << testing::describe(result);
    }
}

TEST(CheckCommand, GivenAScriptThatCannotBeParsedItSaysWhichAndWhy) {
    testing::TempDir dir;
    const fs::path project = testing::write_check_project(dir.path() / "p", {panel("p001", 48)});
    const fs::path binary = dir.path() / "script.fountain";
    std::ofstream(binary, std::ios::binary) << std::string("\x89PNG\r\n\x1a\n\0\0\0", 11);
    auto result = run_storyreel({"check", "--project", project.string(), "--cache",
                                 (dir.path() / "c").string(), "--script", binary.string()});
    EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
    EXPECT_NE(result.err.find(binary.string() + ": script: not a text file"), std::string::npos)
        << testing::describe(result);
    const fs::path fdx = dir.path() / "broken.fdx";
    std::ofstream(fdx) << "<FinalDraft><Content><Paragraph Type=\"Scene Heading\"><Text>INT. A";
    result = run_storyreel({"check", "--project", project.string(), "--cache",
                            (dir.path() / "c").string(), "--script", fdx.string()});
    EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
    EXPECT_NE(result.err.find("broken.fdx:1: script: not a readable Final Draft file"),
              std::string::npos)
        << testing::describe(result);
    const fs::path prose = dir.path() / "notes.fountain";
    std::ofstream(prose) << "Just some notes.\n\nNo scenes at all.\n";
    result = run_storyreel({"check", "--project", project.string(), "--cache",
                            (dir.path() / "c").string(), "--script", prose.string()});
    EXPECT_EQ(result.exit_code, 2) << testing::describe(result);
    EXPECT_NE(result.err.find("no scene headings found"), std::string::npos)
        << testing::describe(result);
}

TEST(CheckCommand, GivenAScriptTheRuntimeOfEachSceneIsComparedAndUnboardedScenesListed) {
    testing::TempDir dir;
    // sc1 is boarded with 10 s; its 1/8 page reads as 7.5 s (+33 %). sc2 is boarded with
    // its 2/8 page's 15 s; scene 3 is not boarded; sq099x boards a scene not in the script.
    std::vector<TestPanel> panels{panel("p001", 240)};
    panels[0].sequence = "sc1";
    TestPanel second = panel("p001", 360);
    second.sequence = "sc2";
    TestPanel stray = panel("p001", 48);
    stray.sequence = "sq099x";
    panels.push_back(second);
    panels.push_back(stray);
    const fs::path project = testing::write_check_project(dir.path() / "p", panels);
    const fs::path script = dir.path() / "film.fountain";
    std::ofstream(script) << "INT. KITCHEN - NIGHT\n\nANNA pours tea. A dog barks outside.\n\n"
                             "EXT. GARDEN - DAY\n\nThe DOG runs to the car.\n\nBOB\nCome back!\n\n"
                             "EXT. ROAD - DUSK\n\nEmpty.\n";
    const fs::path out = dir.path() / "checks.json";
    const auto result = run_storyreel({"check", "--project", project.string(), "--cache",
                                       (dir.path() / "c").string(), "--script", script.string(),
                                       "--json", out.string(), "--fail-on", "never"});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const json document = read_json(out);
    std::vector<json> runtime;
    for (const auto& finding : document["findings"])
        if (finding["rule"] == "script_runtime") runtime.push_back(finding);
    ASSERT_EQ(runtime.size(), 3u) << document.dump(2);
    EXPECT_EQ(runtime[0]["sequence"], "sc1");
    EXPECT_EQ(runtime[0]["measured"], 10.0);
    EXPECT_EQ(runtime[0]["limit"], 7.5);
    EXPECT_EQ(runtime[1]["sequence"], "sq099x");
    EXPECT_NE(runtime[1]["message"].get<std::string>().find("not in the script"),
              std::string::npos);
    EXPECT_EQ(runtime[2]["sequence"], "");
    EXPECT_NE(runtime[2]["message"].get<std::string>().find("scene 3"), std::string::npos);
    const json& kitchen = document["breakdown"][0];
    EXPECT_EQ(kitchen["int_ext"], "INT");
    EXPECT_EQ(kitchen["time_of_day"], "NIGHT");
    EXPECT_EQ(kitchen["location"], "KITCHEN");
    EXPECT_EQ(kitchen["characters"], json::array({"ANNA"}));
    EXPECT_EQ(kitchen["flags"][0]["flag"], "animals");
    EXPECT_EQ(kitchen["flags"][0]["words"], json::array({"dog"}));
    const json& garden = document["breakdown"][1];
    EXPECT_EQ(garden["characters"], json::array({"DOG", "BOB"}));
    EXPECT_EQ(document["breakdown"].size(), 4u);  // sc1, sc2, sq099x, and scene 3 without boards
    EXPECT_EQ(document["breakdown"][3]["boards"], 0);
    EXPECT_EQ(document["breakdown"][3]["time_of_day"], "DUSK");
}

TEST(CheckCommand, GivenTheStoryboarderSampleTheBreakdownHasItsScriptsScenes) {
    STORYREEL_REQUIRE_SAMPLE(sample, "storyboarder/multi-scene/multi-scene.fountain");
    testing::TempDir dir;
    const fs::path out = dir.path() / "checks.json";
    const auto result =
        run_storyreel({"check", "--project", sample.string(), "--cache",
                       (dir.path() / "c").string(), "--json", out.string(), "--fail-on", "never"});
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const json breakdown = read_json(out)["breakdown"];
    ASSERT_EQ(breakdown.size(), 3u) << breakdown.dump(2);
    const char* headings[] = {"EXT. A PLACE - DAY", "INT. A PLACE - DAY", "EXT. HOUSE - DAY"};
    const char* sides[] = {"EXT", "INT", "EXT"};
    const char* places[] = {"A PLACE", "A PLACE", "HOUSE"};
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(breakdown[i]["scene_number"], i + 1);
        EXPECT_EQ(breakdown[i]["heading"], headings[i]);
        EXPECT_EQ(breakdown[i]["int_ext"], sides[i]);
        EXPECT_EQ(breakdown[i]["location"], places[i]);
        EXPECT_EQ(breakdown[i]["time_of_day"], "DAY");
        EXPECT_GE(breakdown[i]["boards"].get<int>(), 1);
    }
    EXPECT_EQ(breakdown[0]["characters"], json::array({"PERSON A"}));
    EXPECT_EQ(breakdown[0]["script_eighths"], 2);
}

}  // namespace
}  // namespace storyreel

namespace storyreel {
namespace {

TEST(PublishedChecks, TheManifestCarriesFindingsAndChangesSayWhatIsNewAndWhatWasResolved) {
    testing::TempDir dir;
    const fs::path project = project_with_findings(dir.path() / "p");
    const fs::path pipeline = prores_pipeline(dir.path());
    const fs::path root = dir.path() / "published";
    auto publish = [&] {
        return run_storyreel({"build", "--project", project.string(), "--pipeline",
                              pipeline.string(), "--out", (dir.path() / "out").string(),
                              "--publish", root.string()});
    };
    auto result = publish();
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const fs::path sequence = root / "checks" / "sq010";
    const json first = read_json(sequence / "v001" / "manifest.json");
    ASSERT_EQ(first["checks"]["findings"].size(), 2u);
    EXPECT_EQ(first["checks"]["findings"][0]["rule"], "dialogue_pace");

    // The line now has time to be said, the repeated board is redrawn, p001 is wiped blank.
    std::string text;
    {
        std::ifstream in(project);
        text.assign(std::istreambuf_iterator<char>(in), {});
    }
    text.replace(text.find("frames: 24"), 10, "frames: 96");
    text.replace(text.find("board: boards/p001.png", text.find("name: p003")), 22,
                 "board: boards/p003.png");
    std::ofstream(project, std::ios::trunc) << text;
    testing::write_drawn_board(project.parent_path() / "boards" / "p003.png", 128, 72, 77);
    testing::write_drawn_board(project.parent_path() / "boards" / "p001.png", 128, 72, 1, 0);
    result = publish();
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    const json changes = read_json(sequence / "v002" / "changes.json");
    ASSERT_EQ(changes["findings"]["new"].size(), 1u) << changes.dump(2);
    EXPECT_EQ(changes["findings"]["new"][0]["rule"], "placeholder_board");
    EXPECT_EQ(changes["findings"]["new"][0]["panel"], "p001");
    ASSERT_EQ(changes["findings"]["resolved"].size(), 2u) << changes.dump(2);
    std::set<std::string> resolved;
    for (const auto& finding : changes["findings"]["resolved"]) resolved.insert(finding["rule"]);
    EXPECT_EQ(resolved, (std::set<std::string>{"dialogue_pace", "duplicate_board"}));
    std::ifstream in(sequence / "v002" / "CHANGES.txt");
    const std::string listing((std::istreambuf_iterator<char>(in)), {});
    EXPECT_NE(listing.find("1 new finding(s), 2 finding(s) resolved"), std::string::npos)
        << listing;
    EXPECT_NE(listing.find("New findings (storyreel check):\n  info  placeholder_board  "
                           "sq010/sh010/p001  01:00:00:00"),
              std::string::npos)
        << listing;
    EXPECT_NE(listing.find("Findings resolved:"), std::string::npos) << listing;
}

// placeholder_board's stale half: p003 stays the same through three published versions while
// p002 and p004 either side of it are redrawn; p005 too, but an edge panel has one neighbour
// only and is never called stale.
TEST(PublishedChecks, ABoardLeftAsItWasWhileItsNeighboursWereRedrawnIsStale) {
    testing::TempDir dir;
    std::vector<TestPanel> panels;
    for (const char* name : {"p001", "p002", "p003", "p004", "p005"})
        panels.push_back(panel(name, 24));
    const fs::path project = testing::write_check_project(dir.path() / "p", panels);
    const fs::path boards = project.parent_path() / "boards";
    const fs::path pipeline = prores_pipeline(dir.path());
    const fs::path root = dir.path() / "published";
    auto publish = [&] {
        const auto result =
            run_storyreel({"build", "--project", project.string(), "--pipeline", pipeline.string(),
                           "--out", (dir.path() / "out").string(), "--publish", root.string()});
        ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    };
    auto stale = [&](const std::vector<std::string>& extra) {
        std::vector<std::string> args{"check",
                                      "--project",
                                      project.string(),
                                      "--pipeline",
                                      pipeline.string(),
                                      "--json",
                                      (dir.path() / "c.json").string(),
                                      "--fail-on",
                                      "never"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto result = run_storyreel(args);
        EXPECT_EQ(result.exit_code, 0) << testing::describe(result);
        std::vector<json> found;
        const json document = read_json(dir.path() / "c.json");
        for (const auto& finding : document["findings"])
            if (finding["rule"] == "placeholder_board" && finding["unit"] == "published versions")
                found.push_back(finding);
        return found;
    };
    unsigned seed = 100;
    auto redraw = [&](const char* board) {
        testing::write_drawn_board(boards / board, 128, 72, ++seed);
    };
    publish();  // v001
    redraw("p002.png"), redraw("p004.png");
    publish();  // v002
    redraw("p001.png");
    EXPECT_TRUE(stale({"--publish", root.string()}).empty()) << "two versions are not three";
    publish();  // v003
    const auto found = stale({"--publish", root.string()});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]["panel"], "p003");
    EXPECT_EQ(found[0]["severity"], "info");
    EXPECT_NE(found[0]["message"].get<std::string>().find("unchanged since v001"),
              std::string::npos)
        << found[0].dump();
    EXPECT_TRUE(stale({}).empty()) << "no publish root, no history";

    std::ofstream(project, std::ios::app) << "checks: {placeholder_board: {stale_versions: 4}}\n";
    EXPECT_TRUE(stale({"--publish", root.string()}).empty()) << "only three versions exist";
}

}  // namespace
}  // namespace storyreel
