// The farm's task model without a scheduler: how a build splits into shards, what a shard
// task writes (only cache entries) and how it exits (0, 75 transient, 1 bad input with the
// local build's message), shards racing on the same cache entries, and the local engine.

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <set>
#include <sstream>

#include "farm/shard_plan.h"
#include "pipeline/build.h"
#include "pipeline/cache_stamp.h"
#include "pipeline/exit_codes.h"
#include "stages/builtin_stages.h"
#include "tests/support/farm_workspace.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/shared_samples.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto parsed = nlohmann::json::parse(line, nullptr, false);
        if (!parsed.is_discarded()) lines.push_back(parsed);
    }
    return lines;
}

std::size_t cache_entries(const fs::path& cache) {
    std::size_t count = 0;
    std::error_code error;
    for (const auto& prefix : fs::directory_iterator(cache / "objects", error))
        for (const auto& entry : fs::directory_iterator(prefix.path(), error)) {
            EXPECT_TRUE(fs::exists(entry.path() / "entry.json")) << entry.path();
            ++count;
        }
    return count;
}

std::vector<std::string> shard_args(const FarmWorkspace& ws, const std::string& shard,
                                    const fs::path& cache, const std::string& out) {
    return {"build",
            "--project",
            ws.project.project_file.string(),
            "--pipeline",
            ws.pipeline_file.string(),
            "--out",
            ws.out(out).string(),
            "--cache",
            cache.string(),
            "--shard",
            shard};
}

TEST(ShardPlan, EveryShotLandsInExactlyOneShardAndCostsAreBalanced) {
    std::vector<farm::ShotCost> shots;
    for (int i = 0; i < 10; ++i)
        shots.push_back(
            {"sq010/sh" + std::to_string(i), static_cast<std::size_t>(i + 1), 24, double(i + 1)});
    const auto shards = farm::split_into_shards(shots, 3);
    ASSERT_EQ(shards.size(), 3u);
    std::multiset<std::string> seen;
    double heaviest = 0, lightest = 1e9;
    for (const auto& shard : shards) {
        EXPECT_FALSE(shard.shots.empty());
        seen.insert(shard.shots.begin(), shard.shots.end());
        heaviest = std::max(heaviest, shard.cost);
        lightest = std::min(lightest, shard.cost);
    }
    EXPECT_EQ(seen.size(), 10u);
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 10u);
    EXPECT_LE(heaviest - lightest, 10.0)
        << "55 units over 3 shards should differ by at most the largest shot";
    EXPECT_EQ(farm::split_into_shards(shots, 3)[1].shots, shards[1].shots)
        << "the split must be deterministic";
    EXPECT_EQ(farm::split_into_shards(shots, 50).size(), 10u) << "never more shards than shots";
}

TEST(ShardPlan, ShardSpecIsIndexOverCount) {
    std::size_t index = 0, count = 0;
    EXPECT_TRUE(farm::parse_shard_spec("3/8", index, count));
    EXPECT_EQ(index, 3u);
    EXPECT_EQ(count, 8u);
    for (const char* bad : {"0/4", "5/4", "1", "1/", "a/b", "1/4x", "-1/4"})
        EXPECT_FALSE(farm::parse_shard_spec(bad, index, count)) << bad;
}

TEST(ShardTask, FillsOnlyTheCacheAndLogsJsonLines) {
    FarmWorkspace ws;
    const fs::path cache = ws.out("cache");
    const CliResult first = testing::run_storyreel(shard_args(ws, "1/2", cache, "out"));
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    EXPECT_TRUE(testing::movies_in(ws.out("out")).empty());
    EXPECT_FALSE(fs::exists(ws.out("out") / "build.json"));
    const std::size_t after_first = cache_entries(cache);
    EXPECT_GT(after_first, 0u);
    EXPECT_EQ(after_first % 2, 0u) << "two encode stages: each shot twice";

    const auto lines = json_lines(first.err);
    ASSERT_FALSE(lines.empty()) << describe(first);
    std::size_t encoded = 0;
    for (const auto& line : lines) {
        EXPECT_TRUE(line.contains("time") && line.contains("task") && line.contains("event"))
            << line.dump();
        EXPECT_EQ(line["task"], "shard-1");
        if (line["event"] == "shot-encoded") {
            EXPECT_TRUE(line.contains("shot")) << line.dump();
            ++encoded;
        }
    }
    EXPECT_EQ(encoded, after_first);
    EXPECT_EQ(lines.front()["event"], "task-start");
    EXPECT_EQ(lines.back()["event"], "task-done");
    EXPECT_TRUE(contains(first.out, "task shard-1"))
        << "a human summary on stdout: " << describe(first);

    const CliResult second = testing::run_storyreel(shard_args(ws, "2/2", cache, "out"));
    ASSERT_EQ(second.exit_code, kExitOk) << describe(second);
    EXPECT_EQ(cache_entries(cache), 8u) << "4 shots x 2 encode stages after both shards";
    const CliResult assemble = ws.build("out", {"--cache", cache.string(), "--explain"});
    ASSERT_EQ(assemble.exit_code, kExitOk) << describe(assemble);
    EXPECT_FALSE(contains(assemble.out, "rebuilt")) << describe(assemble);
    EXPECT_EQ(testing::movies_in(ws.out("out")).size(), 4u);
}

TEST(ShardTask, UnusableCacheExitsWithTheRetryCode) {
    FarmWorkspace ws;
    const fs::path cache = ws.out("cache");
    write_cache_stamp(cache);  // a cache, whose storage then hiccups
    std::ofstream(cache / "tmp") << "a file where the cache's tmp/ folder belongs";
    const CliResult result = testing::run_storyreel(shard_args(ws, "1/2", cache, "out"));
    EXPECT_EQ(result.exit_code, kExitRetry) << describe(result);
    const auto lines = json_lines(result.err);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["event"], "task-retry");
    EXPECT_TRUE(contains(lines.back()["message"].get<std::string>(), cache.string()))
        << describe(result);
}

TEST(ShardTask, BadBoardFailsForGoodWithTheLocalBuildsMessage) {
    FarmWorkspace ws;
    const std::string bytes = testing::read_whole_file(ws.board(0));
    std::ofstream(ws.board(0), std::ios::binary | std::ios::trunc) << bytes.substr(0, 100);
    const CliResult local = ws.build("local");
    ASSERT_EQ(local.exit_code, kExitBuildFailed) << describe(local);

    const CliResult shard = testing::run_storyreel(shard_args(ws, "1/1", ws.out("cache"), "out"));
    EXPECT_EQ(shard.exit_code, kExitBuildFailed) << describe(shard);
    const auto lines = json_lines(shard.err);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["event"], "task-failed");
    const std::string message = lines.back()["message"];
    EXPECT_TRUE(contains(local.err, message)) << "local: " << local.err << "\nshard: " << message;
    EXPECT_TRUE(contains(message, ws.panel_name(0))) << message;
}

TEST(ShardTask, TwoShardsWritingTheSameEntriesAtOnceLeaveOneValidEntryEach) {
    FarmWorkspace ws;
    const fs::path cache = ws.out("cache");
    auto run = [&](const std::string& out) {
        return testing::run_storyreel(shard_args(ws, "1/1", cache, out));
    };
    auto a = std::async(std::launch::async, run, "a");
    auto b = std::async(std::launch::async, run, "b");
    const CliResult first = a.get(), second = b.get();
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    ASSERT_EQ(second.exit_code, kExitOk) << describe(second);
    EXPECT_EQ(cache_entries(cache), 8u);
    std::error_code error;
    EXPECT_TRUE(fs::is_empty(cache / "tmp", error)) << "no half-written entry left behind";

    const CliResult assemble = ws.build("final", {"--cache", cache.string(), "--explain"});
    ASSERT_EQ(assemble.exit_code, kExitOk) << describe(assemble);
    EXPECT_FALSE(contains(assemble.out, "rebuilt")) << "every entry must verify (size and hash)";
    const CliResult reference = ws.build("reference");
    ASSERT_EQ(reference.exit_code, kExitOk) << describe(reference);
    for (const auto& [name, path] : testing::movies_in(ws.out("reference")))
        EXPECT_EQ(testing::decoded_frame_hashes(path),
                  testing::decoded_frame_hashes(ws.out("final") / name))
            << name;
}

TEST(LocalEngine, RunsShardsThenAssembleAndGivesTheLocalBuildsMovies) {
    FarmWorkspace ws;
    const CliResult local = ws.build("local");
    ASSERT_EQ(local.exit_code, kExitOk) << describe(local);
    const CliResult farm = ws.submit("local", "farm", "spool", {"--shards", "2"});
    ASSERT_EQ(farm.exit_code, kExitOk) << describe(farm);
    EXPECT_TRUE(fs::exists(ws.out("spool") / "job.json"));
    EXPECT_TRUE(fs::exists(ws.out("spool") / "logs" / "shard-2.log"));
    const auto movies = testing::movies_in(ws.out("local"));
    ASSERT_EQ(movies.size(), 4u);
    for (const auto& [name, path] : movies)
        EXPECT_TRUE(testing::read_whole_file(path) ==
                    testing::read_whole_file(ws.out("farm") / name))
            << name;
}

TEST(LocalEngine, AStoryboarderSceneIsSubmittedAndBuildsTheLocalBuildsMovies) {
    // The farm validates, plans and builds with the same project readers as a local build:
    // a Storyboarder scene is read as one, not as project YAML.
    STORYREEL_REQUIRE_SAMPLE(scene, "storyboarder/psd/psd.storyboarder");
    testing::TempDir dir;
    const CliResult local = testing::run_storyreel(
        {"build", "--project", scene.string(), "--out", (dir.path() / "local").string()});
    ASSERT_EQ(local.exit_code, kExitOk) << describe(local);
    const CliResult farm = testing::run_storyreel(
        {"farm", "submit", "--engine", "local", "--project", scene.string(), "--out",
         (dir.path() / "farm").string(), "--spool", (dir.path() / "spool").string()});
    ASSERT_EQ(farm.exit_code, kExitOk) << describe(farm);
    const auto movies = testing::movies_in(dir.path() / "local");
    ASSERT_FALSE(movies.empty());
    for (const auto& [name, path] : movies)
        EXPECT_TRUE(testing::read_whole_file(path) ==
                    testing::read_whole_file(dir.path() / "farm" / name))
            << name;
}

}  // namespace
}  // namespace storyreel
