// Hashes trusted by file stamps (pipeline/file_stamp.h): a settled, unchanged file is not
// read again, any write to it is noticed (even one that keeps its size and modification
// time), and a file written just now is always read.

#include "pipeline/file_stamp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "pipeline/artifact_cache.h"
#include "pipeline/content_hash.h"
#include "pipeline/file_hash_memo.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

/// Overwrites the file with other bytes of the same length and puts its modification time
/// back: only the change time (which no tool can set) tells.
void tamper_keeping_size_and_mtime(const fs::path& file, const std::string& bytes) {
    const auto mtime = fs::last_write_time(file);
    write(file, bytes);
    fs::last_write_time(file, mtime);
}

void wait_until_settled() { std::this_thread::sleep_for(std::chrono::milliseconds(2100)); }

TEST(FileHashMemo, SettledFileIsRememberedAndAnyWriteIsNoticed) {
    testing::TempDir dir;
    const fs::path board = dir.path() / "board.png", fresh = dir.path() / "fresh.png";
    const fs::path memo_file = dir.path() / "log" / "input-hashes.json";
    write(board, "first drawing");
    wait_until_settled();
    write(fresh, "drawn just now");
    {
        FileHashMemo memo(memo_file);
        EXPECT_EQ(memo.hash(board), hash_file(board));
        EXPECT_EQ(memo.hash(fresh), hash_file(fresh));
        EXPECT_EQ(memo.hashed(), 2u);
        memo.save();
    }
    {
        FileHashMemo memo(memo_file);
        EXPECT_EQ(memo.hash(board), hash_file(board));
        EXPECT_EQ(memo.hash(fresh), hash_file(fresh));
        EXPECT_EQ(memo.hashed(), 1u) << "the settled board is remembered, the fresh one read again";
        memo.save();
    }
    tamper_keeping_size_and_mtime(board, "other drawing");
    FileHashMemo memo(memo_file);
    EXPECT_EQ(memo.hash(board), hash_file(board));
    EXPECT_EQ(memo.hashed(), 1u);
}

TEST(ArtifactCache, SettledEntryIsTrustedUntilItsFileIsWritten) {
    testing::TempDir dir;
    ArtifactCache cache(dir.path() / "cache");
    const std::string key = "xxh128:dd00112233445566778899aabbccddee";
    const PendingEntry entry = cache.begin(key, "mix.f32");
    write(entry.artifact, "an hour of sound");
    const fs::path artifact = cache.publish(entry);
    const fs::path stamp = cache.entry_folder(key) / "verified.json";

    ASSERT_TRUE(cache.find(key));  // read and matched, but too fresh to vouch for
    EXPECT_FALSE(fs::exists(stamp));
    wait_until_settled();
    ASSERT_TRUE(cache.find(key));
    EXPECT_TRUE(fs::exists(stamp)) << "a settled entry that matched is stamped";
    const auto stamped = FileStamp::of(stamp);
    ASSERT_TRUE(cache.find(key));
    EXPECT_EQ(FileStamp::of(stamp), stamped) << "trusted by its stamp, not read and stamped again";

    tamper_keeping_size_and_mtime(artifact, "an hour of noise");
    std::string damage;
    EXPECT_FALSE(cache.find(key, &damage));
    EXPECT_EQ(damage, "artifact content does not match its recorded hash");
    EXPECT_FALSE(fs::exists(cache.entry_folder(key)));
}

}  // namespace
}  // namespace storyreel
