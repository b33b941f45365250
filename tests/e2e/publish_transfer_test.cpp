// Publish and pull copy by reflink where the filesystem can, copy_file_range otherwise and a
// plain copy last (publish/file_transfer.h); every copy is independent of its source, so a
// later patch of the build's movie never changes a published or pulled file.

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "publish/file_transfer.h"
#include "publish/publish_error.h"
#include "tests/support/file_bytes.h"
#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using publish::copy_file_independently;
using publish::CopyMethod;
using testing::describe;
using testing::read_file;
using testing::run_storyreel;
using testing::shell_output;

/// Sets STORYREEL_COPY_METHOD for the test (and the storyreel it runs), unset after.
struct CopyMethodOverride {
    explicit CopyMethodOverride(const char* method) {
        ::setenv("STORYREEL_COPY_METHOD", method, 1);
    }
    ~CopyMethodOverride() { ::unsetenv("STORYREEL_COPY_METHOD"); }
};

/// A small XFS filesystem with reflink=1 on a loop device, mounted for the test; when this
/// machine does not allow it (not root, no mkfs.xfs, no loop devices: most containers),
/// `why_not` says why and the test is skipped.
struct LoopbackXfs {
    testing::TempDir dir;
    fs::path mount_point = dir.path() / "xfs";
    bool mounted = false;
    std::string why_not;

    LoopbackXfs() {
        if (::geteuid() != 0) {
            why_not = "mounting a loopback XFS image needs root";
            return;
        }
        const fs::path image = dir.path() / "xfs.img";
        fs::create_directory(mount_point);
        const std::string made =
            shell_output("truncate -s 320M '" + image.string() + "' && mkfs.xfs -q -m reflink=1 '" +
                         image.string() + "' && mount -o loop '" + image.string() + "' '" +
                         mount_point.string() + "' && echo MOUNTED");
        mounted = made.find("MOUNTED") != std::string::npos;
        if (!mounted) why_not = "cannot mount a loopback XFS image here: " + made;
    }
    ~LoopbackXfs() {
        if (mounted)
            shell_output("umount '" + mount_point.string() + "' || umount -l '" +
                         mount_point.string() + "'");
    }
};

void write_bytes(const fs::path& path, std::size_t size, char seed) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>(seed + static_cast<char>(i * 131 % 251));
    std::ofstream(path, std::ios::binary) << bytes;
}

/// Overwrites `size` bytes at `offset` of `path` in place, as a patch of a movie does.
void overwrite_in_place(const fs::path& path, std::streamoff offset, std::size_t size) {
    std::fstream stream(path, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekp(offset);
    stream << std::string(size, 'X');
}

TEST(FileTransfer, CopiesByTheCheapestMethodAllowedAndTheCopyIsIndependent) {
    testing::TempDir dir;
    const fs::path source = dir.path() / "movie.mov";
    write_bytes(source, (std::size_t{9} << 20) + 17, 'a');
    const std::string original = read_file(source);
    // This folder's filesystem may or may not reflink (ext4 cannot); whatever it chose, the
    // copy holds the bytes, and forcing the costlier methods uses exactly them.
    const CopyMethod chosen =
        copy_file_independently(source, dir.path() / "a.mov", CopyMethod::reflink);
    EXPECT_NE(chosen, CopyMethod::plain) << "copy_file_range exists on every Linux this builds on";
    EXPECT_EQ(copy_file_independently(source, dir.path() / "b.mov", CopyMethod::copy_file_range),
              CopyMethod::copy_file_range);
    EXPECT_EQ(copy_file_independently(source, dir.path() / "c.mov", CopyMethod::plain),
              CopyMethod::plain);
    {
        CopyMethodOverride force("copy");
        EXPECT_EQ(publish::cheapest_allowed_copy_method(), CopyMethod::plain);
    }
    EXPECT_EQ(publish::cheapest_allowed_copy_method(), CopyMethod::reflink);
    overwrite_in_place(source, 4 << 20, 1000);
    for (const char* copy : {"a.mov", "b.mov", "c.mov"})
        EXPECT_EQ(read_file(dir.path() / copy), original) << copy;
    // An existing file is never overwritten; a missing source names itself.
    EXPECT_THROW(copy_file_independently(source, dir.path() / "a.mov"), publish::PublishError);
    try {
        copy_file_independently(dir.path() / "missing.mov", dir.path() / "d.mov");
        FAIL() << "a missing source was copied";
    } catch (const publish::PublishError& error) {
        EXPECT_NE(std::string(error.what()).find("missing.mov"), std::string::npos) << error.what();
    }
    EXPECT_FALSE(fs::exists(dir.path() / "d.mov"));
    CopyMethodOverride wrong("rsync");
    EXPECT_THROW(publish::cheapest_allowed_copy_method(), publish::PublishError);
}

TEST(FileTransfer, ReflinksOnALoopbackXfsAndTheCloneKeepsItsBytesWhenTheSourceIsPatched) {
    LoopbackXfs xfs;
    if (!xfs.mounted) GTEST_SKIP() << xfs.why_not;
    const fs::path source = xfs.mount_point / "movie.mov";
    write_bytes(source, std::size_t{24} << 20, 'q');
    const std::string original = read_file(source);
    const auto free_before = fs::space(xfs.mount_point).available;
    EXPECT_EQ(copy_file_independently(source, xfs.mount_point / "clone.mov"), CopyMethod::reflink);
    // Sharing the blocks: the clone took (almost) none of the free space (24 MiB copied).
    EXPECT_GT(fs::space(xfs.mount_point).available + (std::uintmax_t{1} << 20), free_before);
    overwrite_in_place(source, 12 << 20, 4096);
    std::ofstream(source, std::ios::binary | std::ios::app) << std::string(5000, 'Y');
    EXPECT_EQ(read_file(xfs.mount_point / "clone.mov"), original);
    // Costlier methods are still chosen when asked for (to measure them).
    EXPECT_EQ(copy_file_independently(source, xfs.mount_point / "plain.mov", CopyMethod::plain),
              CopyMethod::plain);
    EXPECT_EQ(read_file(xfs.mount_point / "plain.mov"), read_file(source));
}

/// The movie entry of a published version's manifest.
json movie_output(const fs::path& version_folder) {
    const json manifest = read_json(version_folder / "manifest.json");
    for (const auto& output : manifest.at("outputs"))
        if (output.at("kind") == "movie") return output;
    return json();
}

const char* kDnxhrPipeline = R"(pipeline: 1
name: publish-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: dnxhr, type: encode, needs: [conform], params: {codec: dnxhr, profile: lb}}
)";

/// Build + publish, pull, redraw, build again into the same output folder (which patches
/// the build's movie) + publish, pull: every published and pulled file keeps the bytes its
/// manifest records, the transfer method is reported, and a second pull copies nothing.
void expect_patches_never_reach_published_copies(const std::string& pipeline,
                                                 const char* expected_method) {
    PublishWorkspace ws(pipeline, [] {
        auto options = tiny_two_sequences();
        options.shots_per_sequence = 4;  // a redraw changes a quarter of the movie: patched
        options.width = 1280;            // a DNxHR size
        options.height = 720;
        return options;
    }());
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path v1 = ws.sequence_folder("sq010") / "v001";
    const json first = movie_output(v1);
    ASSERT_FALSE(first.is_null());
    EXPECT_EQ(first.value("copied_by", ""), expected_method);
    const fs::path published = v1 / first.at("file").get<std::string>();
    EXPECT_EQ(fs::status(published).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const fs::path editor = ws.dir.path() / "editor";
    const std::vector<std::string> pull{"pull",          "--publish", ws.root().string(),
                                        "--sequence",    "sq010",     "--to",
                                        editor.string(), "--what",    "movie"};
    const auto pulled = run_storyreel(pull);
    ASSERT_EQ(pulled.exit_code, 0) << describe(pulled);
    EXPECT_NE(pulled.out.find(std::string("(") + expected_method + ")"), std::string::npos)
        << pulled.out;
    const auto again = run_storyreel(pull);
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    EXPECT_NE(again.out.find("(0 of 1 file(s) copied)"), std::string::npos) << again.out;

    const fs::path built = ws.dir.path() / "out" / first.at("file").get<std::string>();
    struct stat before {};
    ASSERT_EQ(::stat(built.c_str(), &before), 0);
    ws.redraw(0, {0.9f, 0.1f, 0.1f});
    const auto rebuilt = ws.publish();
    ASSERT_EQ(rebuilt.exit_code, 0) << describe(rebuilt);
    struct stat after {};
    ASSERT_EQ(::stat(built.c_str(), &after), 0);
    EXPECT_EQ(after.st_ino, before.st_ino)
        << "the build's movie was re-assembled, not patched: nothing tested";
    expect_version_complete(v1);
    expect_version_complete(ws.sequence_folder("sq010") / "v002");
    EXPECT_EQ(coreutils_sha256(editor / first.at("file").get<std::string>()), first.at("sha256"));
    const auto newer = run_storyreel(pull);
    ASSERT_EQ(newer.exit_code, 0) << describe(newer);
    EXPECT_EQ(coreutils_sha256(editor / first.at("file").get<std::string>()),
              movie_output(ws.sequence_folder("sq010") / "v002").at("sha256"));
    expect_version_complete(v1);
}

TEST(FileTransfer, APatchOfTheBuildsMovieNeverChangesAPublishedOrPulledCopy) {
    CopyMethodOverride force("copy_file_range");
    expect_patches_never_reach_published_copies(kDnxhrPipeline, "copy_file_range");
}

TEST(FileTransfer, APatchOfTheBuildsMovieNeverChangesAPublishedOrPulledCopyByPlainCopy) {
    CopyMethodOverride force("copy");
    expect_patches_never_reach_published_copies(kDnxhrPipeline, "copy");
}

TEST(FileTransfer, APatchOfTheBuildsMovieNeverChangesAReflinkedCopyOnXfs) {
    LoopbackXfs xfs;
    if (!xfs.mounted) GTEST_SKIP() << xfs.why_not;
    const char* tmpdir = std::getenv("TMPDIR");
    const std::string saved = tmpdir ? tmpdir : "";
    ::setenv("TMPDIR", xfs.mount_point.c_str(), 1);
    expect_patches_never_reach_published_copies(kDnxhrPipeline, "reflink");
    if (tmpdir)
        ::setenv("TMPDIR", saved.c_str(), 1);
    else
        ::unsetenv("TMPDIR");
}

}  // namespace
}  // namespace storyreel
