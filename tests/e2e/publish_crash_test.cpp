// A publish killed at any moment (SIGKILL) leaves the previous version and `latest` exactly
// as they were and no partial version under a final name; the next publish cleans up.

#include <chrono>
#include <thread>

#include "tests/support/background_run.h"
#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::BackgroundRun;

struct Snapshot {
    std::vector<std::string> entries;
    fs::path latest;
    std::string latest_json;
    std::string v001_manifest;
};

Snapshot snapshot(const fs::path& folder) {
    return {visible_entries(folder), fs::read_symlink(folder / "latest"),
            read_text(folder / "latest.json"), read_text(folder / "v001" / "manifest.json")};
}

/// What a reader may see after a kill: v001 untouched, `latest` a complete version, and
/// every version folder complete.
void expect_consistent(const fs::path& folder, const Snapshot& before, bool new_version_allowed) {
    const Snapshot now = snapshot(folder);
    EXPECT_EQ(now.v001_manifest, before.v001_manifest);
    expect_version_complete(folder / "v001");
    for (const auto& name : now.entries) {
        if (name == "latest" || name == "latest.json") continue;
        ASSERT_TRUE(name == "v001" || (new_version_allowed && name == "v002")) << name;
        expect_version_complete(folder / name);
    }
    EXPECT_TRUE(fs::is_regular_file(folder / now.latest / "manifest.json")) << now.latest;
    if (!new_version_allowed) {
        EXPECT_EQ(now.entries, before.entries);
        EXPECT_EQ(now.latest, before.latest);
        EXPECT_EQ(now.latest_json, before.latest_json);
    }
}

/// Removes v002 (if the killed publish got that far) so each round starts from v001.
void reset_to_v001(const fs::path& folder) {
    std::error_code ignored;
    fs::remove(folder / "latest");
    fs::create_directory_symlink("v001", folder / "latest");
    for (const auto& name : visible_entries(folder))
        if (name != "v001" && name != "latest" && name != "latest.json") {
            fs::permissions(folder / name, fs::perms::owner_all, fs::perm_options::add, ignored);
            fs::remove_all(folder / name);
        }
}

TEST(PublishCrash, KillAtEachStepLeavesPreviousVersionAndLatestIntact) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path folder = ws.sequence_folder("sq010");
    const Snapshot before = snapshot(folder);
    ws.redraw(0, {0.2f, 0.8f, 0.3f});  // so the next publish has something to publish
    for (const std::string point : {"staging", "copied", "written", "renamed", "switched"}) {
        SCOPED_TRACE(point);
        BackgroundRun run(ws.build_args("out_kill"), {"STORYREEL_PUBLISH_STOP_AT=" + point});
        ASSERT_TRUE(run.wait_until_stopped()) << "the publish never reached " << point;
        run.kill_now();
        // Up to the rename no new version may be visible; after it, a complete one may.
        expect_consistent(folder, before, point == "renamed" || point == "switched");
        if (point == "renamed") expect_version_complete(folder / "v002");
        EXPECT_EQ(fs::read_symlink(folder / "latest"),
                  fs::path(point == "switched" ? "v002" : "v001"));
        reset_to_v001(folder);
    }
    // The next publish cleans up the killed publishes' staging folders and succeeds.
    const auto result = ws.publish("out_after");
    ASSERT_EQ(result.exit_code, 0) << testing::describe(result);
    EXPECT_EQ(fs::read_symlink(folder / "latest"), fs::path("v002"));
    for (const auto& entry : fs::directory_iterator(folder))
        EXPECT_EQ(entry.path().filename().string().rfind(".staging-", 0), std::string::npos)
            << entry.path();
}

TEST(PublishCrash, KillAtRandomMomentsLeavesNoPartialVersion) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path folder = ws.sequence_folder("sq010");
    const Snapshot before = snapshot(folder);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(ws.publish("out_timed", true).exit_code, 0);
    const auto full = std::chrono::steady_clock::now() - start;
    reset_to_v001(folder);
    for (int step = 1; step <= 4; ++step) {
        SCOPED_TRACE(step);
        BackgroundRun run(ws.build_args("out_timed", true), {});
        std::this_thread::sleep_for(full * step / 5);
        run.kill_now();
        expect_consistent(folder, before, true);
        reset_to_v001(folder);
    }
}

}  // namespace
}  // namespace storyreel
