// ArtifactCache on its own: entries round-trip, racing writers leave one valid entry,
// damage is detected, and garbage collection trims by size.

#include "pipeline/artifact_cache.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

using testing::read_file;

fs::path put(ArtifactCache& cache, const std::string& key, const std::string& content) {
    const PendingEntry entry = cache.begin(key, "segment.mov");
    std::ofstream(entry.artifact, std::ios::binary) << content;
    return cache.publish(entry);
}

// Keys are "xxh128:<hex>" in real builds; any hex string works here.
const std::string kKeyA = "xxh128:aa00112233445566778899aabbccddee";
const std::string kKeyB = "xxh128:bb00112233445566778899aabbccddee";
const std::string kKeyC = "xxh128:cc00112233445566778899aabbccddee";

TEST(ArtifactCache, PublishThenFindRoundTrips) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    EXPECT_FALSE(cache.find(kKeyA));
    const fs::path published = put(cache, kKeyA, "segment bytes A");
    EXPECT_EQ(published, cache.entry_folder(kKeyA) / "segment.mov");
    std::string damage;
    const auto found = cache.find(kKeyA, &damage);
    ASSERT_TRUE(found);
    EXPECT_EQ(damage, "");
    EXPECT_EQ(*found, published);
    EXPECT_EQ(read_file(*found), "segment bytes A");
    EXPECT_FALSE(cache.find(kKeyB));
    EXPECT_TRUE(fs::is_empty(cache.root() / "tmp"));
}

TEST(ArtifactCache, TwoWritersOfOneKeyLeaveOneValidEntry) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    const PendingEntry first = cache.begin(kKeyA, "segment.mov");
    const PendingEntry second = cache.begin(kKeyA, "segment.mov");
    ASSERT_NE(first.folder, second.folder);
    std::ofstream(first.artifact, std::ios::binary) << "first writer's bytes";
    std::ofstream(second.artifact, std::ios::binary) << "second writer, longer bytes";
    const fs::path a = cache.publish(first);
    const fs::path b = cache.publish(second);
    EXPECT_EQ(a, b);
    std::string damage;
    const auto found = cache.find(kKeyA, &damage);
    ASSERT_TRUE(found) << damage;
    EXPECT_EQ(read_file(*found), "first writer's bytes");
    EXPECT_EQ(cache.stats().entries, 1u);
    EXPECT_TRUE(fs::is_empty(cache.root() / "tmp"));
    // Still valid when asked again (the loser did not overwrite anything).
    EXPECT_TRUE(cache.find(kKeyA, &damage));
    EXPECT_EQ(damage, "");
}

TEST(ArtifactCache, DamagedEntryIsReportedAndRemoved) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    const fs::path truncated = put(cache, kKeyA, "0123456789");
    const fs::path altered = put(cache, kKeyB, "abcdefghij");
    fs::resize_file(truncated, 4);
    std::ofstream(altered, std::ios::binary | std::ios::trunc) << "ABCDEFGHIJ";  // same size

    std::string damage;
    EXPECT_FALSE(cache.find(kKeyA, &damage));
    EXPECT_NE(damage.find("truncated"), std::string::npos) << damage;
    EXPECT_FALSE(fs::exists(cache.entry_folder(kKeyA)));
    damage.clear();
    EXPECT_FALSE(cache.find(kKeyB, &damage));
    EXPECT_NE(damage.find("hash"), std::string::npos) << damage;
    EXPECT_EQ(cache.stats().entries, 0u);
    // Now simply absent: no damage reported.
    damage.clear();
    EXPECT_FALSE(cache.find(kKeyA, &damage));
    EXPECT_EQ(damage, "");
}

TEST(ArtifactCache, StatsCountEntriesAndBytes) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    EXPECT_EQ(cache.stats().entries, 0u);
    EXPECT_EQ(cache.stats().bytes, 0u);
    EXPECT_FALSE(cache.stats().oldest_use);
    put(cache, kKeyA, std::string(1000, 'a'));
    put(cache, kKeyB, std::string(2000, 'b'));
    put(cache, kKeyC, std::string(3000, 'c'));
    const CacheStats stats = cache.stats();
    EXPECT_EQ(stats.entries, 3u);
    EXPECT_GE(stats.bytes, 6000u);  // artifacts plus their small entry records
    EXPECT_LT(stats.bytes, 6000u + 3 * 1024);
    EXPECT_TRUE(stats.oldest_use);
    EXPECT_TRUE(stats.newest_use);
}

TEST(ArtifactCache, CollectGarbageWithZeroBytesRemovesEverything) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    put(cache, kKeyA, std::string(1000, 'a'));
    put(cache, kKeyB, std::string(2000, 'b'));
    put(cache, kKeyC, std::string(3000, 'c'));
    const auto before = cache.stats();
    const GarbageCollection gc = cache.collect_garbage(0, std::nullopt);
    EXPECT_EQ(gc.removed_entries, 3u);
    EXPECT_EQ(gc.removed_bytes, before.bytes);
    EXPECT_EQ(gc.remaining.entries, 0u);
    EXPECT_EQ(gc.remaining.bytes, 0u);
    EXPECT_EQ(cache.stats().entries, 0u);
    EXPECT_FALSE(cache.find(kKeyA));
    EXPECT_FALSE(cache.find(kKeyB));
    EXPECT_FALSE(cache.find(kKeyC));
}

TEST(ArtifactCache, CollectGarbageKeepsWhatFits) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    put(cache, kKeyA, std::string(1000, 'a'));
    const auto one = cache.stats().bytes;
    const GarbageCollection gc = cache.collect_garbage(one, std::nullopt);
    EXPECT_EQ(gc.removed_entries, 0u);
    EXPECT_EQ(gc.remaining.entries, 1u);
    EXPECT_TRUE(cache.find(kKeyA));
}

}  // namespace
}  // namespace storyreel
