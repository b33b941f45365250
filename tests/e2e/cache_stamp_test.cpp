// A cache is a folder with storyreel's stamp: every cache command checks it before it reads,
// creates or deletes anything, and gc deletes only what it identifies as its own entries.
// The first test is the issue's example: `cache gc` pointed at an ordinary folder that has
// objects/ and tmp/ sub-folders removed the user's files in them.

#include "pipeline/cache_stamp.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "pipeline/artifact_cache.h"
#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"
#include "pipeline/exit_codes.h"
#include "tests/support/farm_workspace.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;
using testing::read_whole_file;
using testing::run_storyreel;
using testing::TempDir;

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

void make_old(const fs::path& path) {
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(24 * 30));
}

/// Every path under `dir` (links not followed) with its content (files) or target (links).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> items;
    if (!fs::exists(fs::symlink_status(dir))) return items;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
         ++it) {
        const auto relative = it->path().lexically_relative(dir).string();
        if (it->is_symlink())
            items[relative] = "-> " + fs::read_symlink(it->path()).string();
        else if (it->is_regular_file())
            items[relative] = read_whole_file(it->path());
        else
            items[relative] = "<folder>";
    }
    return items;
}

bool mentions(const CliResult& result, const std::string& text) {
    return result.err.find(text) != std::string::npos || result.out.find(text) != std::string::npos;
}

CliResult cache_command(const std::vector<std::string>& args) { return run_storyreel(args); }

/// An ordinary folder that happens to have objects/ and tmp/ holding a user's files.
fs::path users_folder(const fs::path& parent) {
    const fs::path folder = parent / "my stuff";
    write(folder / "objects" / "notes.txt", "my notes");
    write(folder / "objects" / "ab" / "report.doc", "report");
    write(folder / "objects" / "ab" / "abcdef0123456789abcdef0123456789" / "entry.json",
          "{\"mine\": true}");
    write(folder / "tmp" / "draft.txt", "draft");
    write(folder / "tmp" / "abc.12.3" / "keep.txt", "looks like a leftover, is not");
    make_old(folder / "tmp" / "draft.txt");
    make_old(folder / "tmp" / "abc.12.3");
    return folder;
}

TEST(CacheStamp, GcAndStatsOnAnOrdinaryFolderTouchNothingAndSaySo) {
    TempDir dir;
    const fs::path folder = users_folder(dir.path());
    const auto before = snapshot(folder);
    const std::vector<std::vector<std::string>> commands{
        {"cache", "gc", "--cache", folder.string(), "--max-size", "0"},
        {"cache", "gc", "--cache", folder.string(), "--max-age-days", "1"},
        {"cache", "stats", "--cache", folder.string()}};
    for (const auto& command : commands) {
        const CliResult result = cache_command(command);
        EXPECT_EQ(result.exit_code, kExitInvalidConfig) << command[1] << describe(result);
        EXPECT_TRUE(mentions(result, "not a storyreel cache: " + folder.string()))
            << describe(result);
        EXPECT_TRUE(mentions(result, "Pick an empty or new folder")) << describe(result);
        EXPECT_EQ(snapshot(folder), before) << command[1] << " changed the folder";
    }
    // A folder without objects/ or tmp/: stats no longer creates them.
    const fs::path plain = dir.path() / "plain";
    write(plain / "notes.txt", "notes");
    EXPECT_EQ(cache_command({"cache", "stats", "--cache", plain.string()}).exit_code,
              kExitInvalidConfig);
    EXPECT_EQ(snapshot(plain), (std::map<std::string, std::string>{{"notes.txt", "notes"}}));
}

TEST(CacheStamp, GcLeavesOldPendingLookalikesInAnUnstampedFolderWithNoEntries) {
    // Only tmp/ folders named like a killed writer's leftovers ("<word>.<digits>.<digits>")
    // and an empty objects/: the layout of an old cache with no entries, so not refused; but
    // nothing proves it is a cache, so gc must not delete in it.
    TempDir dir;
    const fs::path folder = dir.path() / "holiday";
    write(folder / "tmp" / "trip.2023.08" / "photo.jpg", "photo");
    make_old(folder / "tmp" / "trip.2023.08");
    fs::create_directories(folder / "objects");
    const auto before = snapshot(folder);
    cache_command({"cache", "gc", "--cache", folder.string(), "--max-size", "0"});
    EXPECT_EQ(snapshot(folder), before) << "gc deleted in a folder it could not prove a cache";
    EXPECT_TRUE(fs::exists(folder / "tmp" / "trip.2023.08" / "photo.jpg"));
}

TEST(CacheStamp, StatsAndGcOnAMissingOrEmptyFolderCreateNothing) {
    TempDir dir;
    const fs::path missing = dir.path() / "missing";
    const fs::path empty = dir.path() / "empty";
    fs::create_directory(empty);
    for (const auto& folder : {missing, empty}) {
        for (const std::vector<std::string>& command :
             {std::vector<std::string>{"cache", "stats", "--cache", folder.string()},
              std::vector<std::string>{"cache", "gc", "--cache", folder.string(), "--max-size",
                                       "0"}}) {
            const CliResult result = cache_command(command);
            EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
            EXPECT_TRUE(mentions(result, "no storyreel cache at " + folder.string()))
                << describe(result);
        }
    }
    EXPECT_FALSE(fs::exists(missing));
    EXPECT_TRUE(fs::is_empty(empty));
}

/// Publishes an entry holding `text`; returns its folder.
fs::path add_entry(ArtifactCache& cache, const std::string& text) {
    const std::string key = ContentHasher().add(text).digest();
    const PendingEntry entry = cache.begin(key, "artifact.bin");
    std::ofstream(entry.artifact) << text;
    cache.publish(entry);
    return cache.entry_folder(key);
}

TEST(CacheStamp, GcTrimsARealCacheButFollowsNoSymlinkOutOfIt) {
    TempDir dir;
    const fs::path root = dir.path() / "cache";
    ArtifactCache cache(root);
    ASSERT_TRUE(fs::exists(root / kCacheStampFile));
    std::vector<fs::path> entries;
    for (const char* text : {"one", "two", "three"}) entries.push_back(add_entry(cache, text));

    // Outside the cache: folders shaped exactly like entries, reachable through symlinks.
    const fs::path outside = dir.path() / "outside";
    const std::string fake = "ee" + std::string(30, '0');
    write(outside / "ee" / fake / "entry.json", nlohmann::json{{"key", "xxh128:" + fake}}.dump());
    write(outside / "ee" / fake / "precious.txt", "precious");
    fs::create_directory_symlink(outside / "ee", root / "objects" / "ee");
    const fs::path real_shard = entries[0].parent_path();
    const std::string linked = real_shard.filename().string() + std::string(30, '1');
    write(outside / "victim" / "entry.json", nlohmann::json{{"key", "xxh128:" + linked}}.dump());
    fs::create_directory_symlink(outside / "victim", real_shard / linked);
    write(outside / "old" / "precious.txt", "precious");
    make_old(outside / "old");
    fs::create_directory_symlink(outside / "old", root / "tmp" / "trash.abc.1.2");
    write(root / "tmp" / "notes.txt", "a user's note in tmp/");
    make_old(root / "tmp" / "notes.txt");
    write(root / "tmp" / "abc.77.1" / "segment.mov", "a killed writer's leftover");
    make_old(root / "tmp" / "abc.77.1");
    const auto outside_before = snapshot(outside);

    const CliResult stats = cache_command({"cache", "stats", "--cache", root.string()});
    ASSERT_EQ(stats.exit_code, kExitOk) << describe(stats);
    EXPECT_TRUE(mentions(stats, "entries: 3")) << describe(stats);

    const CliResult gc =
        cache_command({"cache", "gc", "--cache", root.string(), "--max-size", "0"});
    ASSERT_EQ(gc.exit_code, kExitOk) << describe(gc);
    EXPECT_TRUE(mentions(gc, "removed 3 entries")) << describe(gc);
    for (const auto& entry : entries) EXPECT_FALSE(fs::exists(entry)) << entry;
    EXPECT_EQ(snapshot(outside), outside_before) << "gc deleted something outside the cache";
    EXPECT_TRUE(fs::is_symlink(root / "objects" / "ee"));
    EXPECT_TRUE(fs::is_symlink(real_shard / linked));
    EXPECT_TRUE(fs::is_symlink(root / "tmp" / "trash.abc.1.2"));
    EXPECT_TRUE(fs::exists(root / "tmp" / "notes.txt"))
        << "not named like a leftover: not gc's to delete";
    EXPECT_FALSE(fs::exists(root / "tmp" / "abc.77.1")) << "a day-old leftover of a killed writer";
    EXPECT_TRUE(fs::exists(root / kCacheStampFile));
}

TEST(CacheStamp, TheStampIsVersioned) {
    TempDir dir;
    const fs::path root = dir.path() / "cache";
    ArtifactCache created(root);
    const auto stamp = nlohmann::json::parse(read_whole_file(root / kCacheStampFile));
    EXPECT_EQ(stamp["format"], "storyreel-cache");
    EXPECT_EQ(stamp["version"], kCacheFormatVersion);

    write(root / kCacheStampFile, R"({"format": "storyreel-cache", "version": 99})");
    try {
        ArtifactCache newer(root);
        FAIL() << "a newer format was opened";
    } catch (const ValidationError& refused) {
        EXPECT_NE(std::string(refused.what()).find("newer"), std::string::npos) << refused.what();
    }
    write(root / kCacheStampFile, R"({"format": "something-else", "version": 1})");
    try {
        ArtifactCache other(root, CacheAccess::trim);
        FAIL() << "another program's stamp was opened";
    } catch (const ValidationError& refused) {
        EXPECT_NE(std::string(refused.what())
                      .find("its storyreel-cache.json is not a storyreel cache stamp: damaged"),
                  std::string::npos)
            << refused.what();
    }
}

// Farm shards start at the same moment on one new cache folder: one stamps it while another
// is looking, and the one looking must see a cache, not "a folder holding storyreel-cache.json".
TEST(CacheStamp, BuildsOpeningOneNewFolderAtOnceAllSeeACache) {
    TempDir dir;
    for (int round = 0; round < 40; ++round) {
        const fs::path root = dir.path() / ("cache-" + std::to_string(round));
        std::vector<std::string> refusals(4);
        std::vector<std::thread> shards;
        for (std::size_t shard = 0; shard < refusals.size(); ++shard)
            shards.emplace_back([&root, &refusals, shard] {
                try {
                    ArtifactCache opened(root);
                } catch (const std::exception& refused) {
                    refusals[shard] = refused.what();
                }
            });
        for (auto& shard : shards) shard.join();
        for (const auto& refusal : refusals) ASSERT_EQ(refusal, "") << "round " << round;
        EXPECT_EQ(inspect_cache_folder(root).kind, CacheFolderKind::stamped);
    }
}

TEST(CacheStamp, ACacheFromBeforeTheStampIsAdoptedOnlyWhenEveryFileIsAnEntry) {
    TempDir dir;
    const fs::path root = dir.path() / "cache";
    {
        ArtifactCache cache(root);
        add_entry(cache, "one");
        add_entry(cache, "two");
        write(root / "log" / "0123456789abcdef" / "input-hashes.json", "{}");
        write(root / "log" / "0123456789abcdef" / "encode" / "sq010~sh010.json", "{}");
    }
    fs::remove(root / kCacheStampFile);  // as the previous release left it

    const auto unstamped = snapshot(root);
    const CliResult stats = cache_command({"cache", "stats", "--cache", root.string()});
    EXPECT_EQ(stats.exit_code, kExitOk) << describe(stats);
    EXPECT_TRUE(mentions(stats, "entries: 2")) << describe(stats);
    EXPECT_EQ(snapshot(root), unstamped) << "stats writes nothing";

    write(root / "objects" / "notes.txt", "mine");
    EXPECT_EQ(inspect_cache_folder(root).kind, CacheFolderKind::not_a_cache);
    EXPECT_EQ(cache_command({"cache", "gc", "--cache", root.string(), "--max-size", "0"}).exit_code,
              kExitInvalidConfig);
    EXPECT_THROW(ArtifactCache{root}, ValidationError);
    EXPECT_TRUE(fs::exists(root / "objects" / "notes.txt"));
    fs::remove(root / "objects" / "notes.txt");

    const CliResult gc =
        cache_command({"cache", "gc", "--cache", root.string(), "--max-size", "0"});
    EXPECT_EQ(gc.exit_code, kExitOk) << describe(gc);
    EXPECT_TRUE(mentions(gc, "removed 2 entries")) << describe(gc);
    EXPECT_TRUE(fs::exists(root / kCacheStampFile)) << "gc adopted it";
}

TEST(CacheStamp, ABuildWritesTheStampIntoAFreshCacheAndAdoptsItsOwnOldCache) {
    FarmWorkspace ws;
    const CliResult first = ws.build("out");
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    const fs::path cache = ws.out("out") / ".storyreel-cache";
    ASSERT_TRUE(fs::exists(cache / kCacheStampFile));
    EXPECT_EQ(nlohmann::json::parse(read_whole_file(cache / kCacheStampFile))["format"],
              "storyreel-cache");

    fs::remove(cache / kCacheStampFile);  // a cache the previous release wrote
    const CliResult second = ws.build("out");
    ASSERT_EQ(second.exit_code, kExitOk) << describe(second);
    EXPECT_TRUE(fs::exists(cache / kCacheStampFile)) << "adopted";
    EXPECT_TRUE(mentions(second, "4 of 4 shot encodes reused") || mentions(second, "reused"))
        << describe(second);
}

TEST(CacheStamp, ABuildOrFarmSubmissionIntoAFolderThatIsNotACacheIsRefusedBeforeAnyWork) {
    FarmWorkspace ws;
    const fs::path folder = users_folder(ws.dir.path());
    const auto before = snapshot(folder);
    const CliResult build = ws.build("out", {"--cache", folder.string()});
    EXPECT_EQ(build.exit_code, kExitInvalidConfig) << describe(build);
    EXPECT_TRUE(mentions(build, "not a storyreel cache: " + folder.string())) << describe(build);
    EXPECT_FALSE(fs::exists(ws.out("out"))) << "nothing was built";
    EXPECT_EQ(snapshot(folder), before);

    const CliResult submit = ws.submit("local", "out", "spool", {"--cache", folder.string()});
    EXPECT_EQ(submit.exit_code, kExitInvalidConfig) << describe(submit);
    EXPECT_TRUE(mentions(submit, "not a storyreel cache")) << describe(submit);
    EXPECT_FALSE(fs::exists(ws.out("spool"))) << "nothing was submitted";
    EXPECT_EQ(snapshot(folder), before);

    // The default cache inside the output folder is checked the same way.
    write(ws.out("out2") / ".storyreel-cache" / "tmp" / "mine.txt", "mine");
    const CliResult default_cache = ws.build("out2");
    EXPECT_EQ(default_cache.exit_code, kExitInvalidConfig) << describe(default_cache);
    EXPECT_TRUE(fs::exists(ws.out("out2") / ".storyreel-cache" / "tmp" / "mine.txt"));
}

}  // namespace
}  // namespace storyreel
