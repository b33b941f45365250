// The farm on a real Slurm: a private single-node cluster (scripts/slurm-cluster.sh) runs
// the shard array and the dependent assemble job. Given the tiny demo project we should
// get the local build's movies; a transient failure should be requeued; a bad board should
// fail the submission with that shard's message; cancel should stop everything, the
// running task cleanly (SIGTERM: its temporaries removed), and leave no output under a
// final name.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "pipeline/cache_stamp.h"
#include "pipeline/exit_codes.h"
#include "tests/support/farm_workspace.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/slurm_cluster.h"

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;
using testing::run_storyreel;

class FarmOnSlurm : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        if (!testing::SlurmCluster::missing_requirement().empty()) return;
        cluster_ = std::make_unique<testing::SlurmCluster>();
    }
    static void TearDownTestSuite() { cluster_.reset(); }
    void SetUp() override {
        const std::string missing = testing::SlurmCluster::missing_requirement();
        if (!missing.empty()) GTEST_SKIP() << "no Slurm here: " << missing;
    }

    /// Polls `farm status` until the job's state line says one of the final states.
    static std::string wait_for_final_state(const fs::path& spool,
                                            std::string* status_text = nullptr) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (std::chrono::steady_clock::now() < deadline) {
            const CliResult status = run_storyreel({"farm", "status", spool.string()});
            if (status_text) *status_text = status.out;
            for (const char* state : {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT"})
                if (contains(status.out, std::string("state: ") + state)) return state;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
        return "still running after 90 s";
    }

    /// Waits until some task logged `event`.
    static bool wait_for_event(const fs::path& spool, const std::string& event, int seconds = 60) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (std::chrono::steady_clock::now() < deadline) {
            for (const auto& line : testing::task_events(spool))
                if (line.value("event", "") == event) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }

    static inline std::unique_ptr<testing::SlurmCluster> cluster_;
};

TEST_F(FarmOnSlurm, FarmBuildGivesTheLocalBuildsMovies) {
    FarmWorkspace ws;
    const CliResult local = ws.build("local");
    ASSERT_EQ(local.exit_code, kExitOk) << describe(local);
    const CliResult farm = ws.submit("slurm", "farm", "spool", {"--shards", "3", "--wait"});
    ASSERT_EQ(farm.exit_code, kExitOk) << describe(farm);
    EXPECT_TRUE(contains(farm.out, "done")) << describe(farm);

    // Three shards ran on the cluster; the assemble task found every shot in the cache.
    int shards_done = 0;
    for (const auto& event : testing::task_events(ws.out("spool"))) {
        if (event["event"] != "task-done") continue;
        if (event["task"] == "assemble") {
            EXPECT_EQ(event["encoded"], 0) << event.dump();
            EXPECT_EQ(event["outputs"], 4) << event.dump();
        } else {
            ++shards_done;
            EXPECT_EQ(event["outputs"], 0) << event.dump();
        }
    }
    EXPECT_EQ(shards_done, 3);
    EXPECT_TRUE(fs::exists(ws.out("spool") / "shards.sbatch"));

    const auto local_movies = testing::movies_in(ws.out("local"));
    const auto farm_movies = testing::movies_in(ws.out("farm"));
    ASSERT_EQ(local_movies.size(), 4u);
    ASSERT_EQ(farm_movies.size(), local_movies.size());
    for (const auto& [name, path] : local_movies) {
        ASSERT_TRUE(farm_movies.count(name)) << name;
        const fs::path& other = farm_movies.at(name);
        EXPECT_EQ(testing::decoded_frame_hashes(path), testing::decoded_frame_hashes(other))
            << name;
        EXPECT_EQ(testing::decode_audio_mono(path), testing::decode_audio_mono(other)) << name;
        EXPECT_TRUE(testing::read_whole_file(path) == testing::read_whole_file(other))
            << name << ": bytes differ between the local and the farm build";
    }
}

TEST_F(FarmOnSlurm, ShardFailingWithTheRetryCodeIsRequeuedAndTheBuildCompletes) {
    FarmWorkspace ws;
    // The shared cache is briefly unusable: a file stands where its tmp/ folder belongs.
    const fs::path cache = ws.out("cache");
    write_cache_stamp(cache);  // a cache, whose storage then hiccups
    std::ofstream(cache / "tmp") << "storage hiccup";
    const CliResult submitted =
        ws.submit("slurm", "farm", "spool", {"--shards", "2", "--cache", cache.string()});
    ASSERT_EQ(submitted.exit_code, kExitOk) << describe(submitted);
    ASSERT_TRUE(wait_for_event(ws.out("spool"), "task-retry"))
        << "no shard reported a transient failure";
    fs::remove(cache / "tmp");  // the storage is back

    std::string status;
    EXPECT_EQ(wait_for_final_state(ws.out("spool"), &status), "COMPLETED") << status;
    EXPECT_TRUE(contains(status, "requeued")) << status;
    bool exited_75 = false;
    for (const auto& event : testing::task_events(ws.out("spool")))
        exited_75 =
            exited_75 || (event["event"] == "task-retry" && event["exit_code"] == kExitRetry);
    EXPECT_TRUE(exited_75);
    const auto movies = testing::movies_in(ws.out("farm"));
    ASSERT_EQ(movies.size(), 4u);
    for (const auto& [name, path] : movies)
        EXPECT_FALSE(testing::decoded_frame_hashes(path).empty()) << name;
}

TEST_F(FarmOnSlurm, ShardFailingForGoodFailsTheSubmissionWithItsMessage) {
    FarmWorkspace ws;
    const std::size_t bad = 4;
    const std::string bytes = testing::read_whole_file(ws.board(bad));
    std::ofstream(ws.board(bad), std::ios::binary | std::ios::trunc) << bytes.substr(0, 100);
    const CliResult local = ws.build("local");
    ASSERT_EQ(local.exit_code, kExitBuildFailed) << describe(local);

    const CliResult farm = ws.submit("slurm", "farm", "spool", {"--shards", "2", "--wait"});
    EXPECT_EQ(farm.exit_code, kExitBuildFailed) << describe(farm);
    EXPECT_TRUE(contains(farm.out, ws.panel_name(bad))) << describe(farm);
    EXPECT_TRUE(contains(farm.out, ws.board(bad).string())) << describe(farm);
    EXPECT_TRUE(contains(farm.out, "failed")) << describe(farm);
    EXPECT_TRUE(testing::movies_in(ws.out("farm")).empty());
    EXPECT_FALSE(fs::exists(ws.out("farm") / "build.json"));
}

TEST_F(FarmOnSlurm, CancelStopsARunningSubmissionLeavingNoFinalOutputs) {
    demo::DemoOptions options = testing::tiny_farm_demo();
    options.width = 1920;
    options.height = 1080;
    options.panels_per_shot = 24;
    options.min_hold_frames = 48;
    options.max_hold_frames = 72;
    // A shard must still be encoding when the cancel arrives, however fast the machine: the
    // ProRes stage encodes every frame of the ~2,900 HD frames of a shard (about a minute)
    // instead of each drawing once (under two seconds, faster than a cancel reaches it), and
    // a panel (at most 72 frames, a second or two) still ends soon after the SIGTERM.
    FarmWorkspace ws(options, R"(pipeline: 1
name: farm-cancel-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: temp_audio, type: audio}
  - name: prores
    type: encode
    needs: [conform, temp_audio]
    params: {codec: prores, profile: proxy, held_frames: encode_each}
)");
    const CliResult submitted =
        ws.submit("slurm", "farm", "spool", {"--shards", "2", "--cpus-per-task", "2"});
    ASSERT_EQ(submitted.exit_code, kExitOk) << describe(submitted);
    ASSERT_TRUE(wait_for_event(ws.out("spool"), "task-start"));

    const CliResult cancelled = run_storyreel({"farm", "cancel", ws.out("spool").string()});
    EXPECT_EQ(cancelled.exit_code, kExitOk) << describe(cancelled);
    std::string status;
    EXPECT_EQ(wait_for_final_state(ws.out("spool"), &status), "CANCELLED") << status;
    EXPECT_FALSE(contains(status, "RUNNING")) << status;
    EXPECT_TRUE(testing::movies_in(ws.out("farm")).empty());
    EXPECT_FALSE(fs::exists(ws.out("farm") / "build.json"));
    bool assembled = false;
    for (const auto& event : testing::task_events(ws.out("spool")))
        assembled = assembled || event["task"] == "assemble";
    EXPECT_FALSE(assembled) << "the assemble task must never start after a cancel";

    // The running shard got the scheduler's SIGTERM and stopped cleanly: it said so, and
    // left no temporary file in the output folder or the shared cache.
    if (!wait_for_event(ws.out("spool"), "task-stopped", 30)) {
        std::string events;
        for (const auto& event : testing::task_events(ws.out("spool")))
            events += event.dump() + "\n";
        FAIL() << "no task reported a clean stop; the tasks logged:\n" << events;
    }
    for (const auto& entry : testing::list_files_recursive(ws.out("farm"))) {
        const std::string name = entry.filename().string();
        EXPECT_TRUE(name.find(".partial-") == std::string::npos &&
                    name.rfind(".storyreel-work-", 0) != 0)
            << entry;
        EXPECT_NE(entry.string().rfind(".storyreel-cache/tmp/", 0), 0u)
            << "a half-written cache entry was left: " << entry;
    }
}

}  // namespace
}  // namespace storyreel
