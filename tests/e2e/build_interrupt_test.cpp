// A build stopped by a signal (Ctrl-C, the scheduler's cancel) removes its temporaries and
// leaves earlier outputs as they were; a build killed outright is tidied up by the next
// one; two builds never write into one output folder at once (pipeline/interruption.h,
// pipeline/output_folder_claim.h). The real command is run and signalled.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "pipeline/content_hash.h"
#include "tests/support/cli_runner.h"
#include "tests/support/farm_workspace.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;

// frames_in_flight 2 keeps the second sequence encoding well after the first one's movie
// is finished (and waiting, under a temporary name, for the build to commit).
constexpr const char* kPipeline = R"(pipeline: 1
name: interrupt-test
settings: {frames_in_flight: 2}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: temp_audio, type: audio}
  - {name: enc, type: encode, needs: [conform, temp_audio], params: {codec: dnxhr, profile: lb}}
)";

demo::DemoOptions two_sequences() {
    demo::DemoOptions options;
    options.sequences = 2;
    options.shots_per_sequence = 3;
    options.panels_per_shot = 10;
    options.min_hold_frames = 6;
    options.max_hold_frames = 12;
    options.width = 640;
    options.height = 360;
    options.varied_formats = false;
    options.seed = 5;
    return options;
}

bool has_name_part(const fs::path& dir, const std::string& part) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error))
        if (entry.path().filename().string().find(part) != std::string::npos) return true;
    return false;
}

/// Every entry of `dir` (hidden ones too) with its content hash ("" for folders), but the
/// lock file, whose holder line each build rewrites.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& relative : testing::list_files_recursive(dir)) {
        if (relative == ".storyreel-lock") continue;
        const fs::path path = dir / relative;
        files[relative.string()] = fs::is_regular_file(path) ? hash_file(path) : "";
    }
    return files;
}

/// Build temporaries left in `dir`: ".*.partial-*", ".storyreel-work-*", ".*.patching-*".
std::vector<std::string> temporaries_in(const fs::path& dir) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (name.find(".partial-") != std::string::npos || name.rfind(".storyreel-work-", 0) == 0 ||
            name.find(".patching-") != std::string::npos)
            found.push_back(name);
    }
    return found;
}

/// Runs `action(pid)` on a thread of its own once `ready()` holds while the build runs
/// (polled every few ms, for up to a minute).
class ActWhenReady {
  public:
    ActWhenReady(std::function<bool()> ready, std::function<void(pid_t)> action)
        : ready_(std::move(ready)), action_(std::move(action)) {}
    ~ActWhenReady() {
        if (thread_.joinable()) thread_.join();
    }
    /// For run_storyreel's `started`.
    std::function<void(pid_t)> on_start() {
        return [this](pid_t pid) {
            thread_ = std::thread([this, pid] {
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
                while (std::chrono::steady_clock::now() < deadline && ::kill(pid, 0) == 0) {
                    if (ready_()) {
                        action_(pid);
                        acted_ = true;
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(3));
                }
            });
        };
    }
    /// Whether it acted; call after run_storyreel returned.
    bool acted() {
        if (thread_.joinable()) thread_.join();
        return acted_;
    }

  private:
    std::function<bool()> ready_;
    std::function<void(pid_t)> action_;
    std::thread thread_;
    std::atomic<bool> acted_{false};
};

std::function<void(pid_t)> send(int signal) {
    return [signal](pid_t pid) { ::kill(pid, signal); };
}

class BuildInterruption : public ::testing::Test {
  protected:
    void SetUp() override {
        std::ofstream(ws_.pipeline_file) << kPipeline;
        // The earlier build, then a redraw in the first sequence so the next build's movie differs.
        const CliResult first = build("cache-a");
        ASSERT_EQ(first.exit_code, 0) << describe(first);
        before_ = snapshot(out());
        redraw(0);
    }

    fs::path out() const { return ws_.out("out"); }
    CliResult build(const std::string& cache, const std::function<void(pid_t)>& started = {},
                    const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> args{"build",
                                      "--project",
                                      ws_.project.project_file.string(),
                                      "--pipeline",
                                      ws_.pipeline_file.string(),
                                      "--out",
                                      out().string(),
                                      "--cache",
                                      ws_.out(cache).string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return testing::run_storyreel(args, {}, started);
    }
    void redraw(std::size_t panel) const {
        const auto options = two_sequences();
        OIIO::ImageBuf image(
            OIIO::ImageSpec(options.width, options.height, 3, OIIO::TypeDesc::UINT8));
        const float grey[3] = {0.3f, 0.6f, 0.2f};
        ASSERT_TRUE(OIIO::ImageBufAlgo::fill(image, grey));
        ASSERT_TRUE(image.write(ws_.board(panel).string())) << image.geterror();
    }
    /// The first sequence's new movie is finished and waits for the build to commit, the
    /// second one's is being written.
    std::function<bool()> first_movie_pending() const {
        const fs::path dir = out();
        return [dir] {
            std::size_t movies = 0;
            std::error_code error;
            for (const auto& entry : fs::directory_iterator(dir, error))
                movies += entry.path().filename().string().find(".partial-") != std::string::npos;
            return movies >= 2;
        };
    }

    testing::FarmWorkspace ws_{two_sequences()};
    std::map<std::string, std::string> before_;
};

class StopSignal : public BuildInterruption, public ::testing::WithParamInterface<int> {};

TEST_P(StopSignal, RemovesItsTemporariesAndKeepsEarlierOutputs) {
    ActWhenReady stop(first_movie_pending(), send(GetParam()));
    const CliResult stopped = build("cache-b", stop.on_start());
    ASSERT_TRUE(stop.acted()) << "the build ended before it could be signalled:\n"
                              << describe(stopped);

    EXPECT_EQ(stopped.exit_code, 128 + GetParam()) << describe(stopped);
    EXPECT_NE(stopped.err.find("temporary files were removed"), std::string::npos)
        << describe(stopped);
    EXPECT_TRUE(temporaries_in(out()).empty()) << temporaries_in(out()).front();
    EXPECT_EQ(snapshot(out()), before_) << "the earlier movies and build.json must be as they were";
    EXPECT_TRUE(testing::list_files_recursive(ws_.out("cache-b") / "tmp").empty())
        << "no half-written cache entry: "
        << testing::list_files_recursive(ws_.out("cache-b") / "tmp").front();

    // The shots it finished were kept: the next build reuses them and replaces the movies.
    const CliResult next = build("cache-b", {}, {"--explain"});
    ASSERT_EQ(next.exit_code, 0) << describe(next);
    EXPECT_NE(next.out.find(": reused (in cache)"), std::string::npos) << next.out;
    EXPECT_NE(snapshot(out()), before_);
}

INSTANTIATE_TEST_SUITE_P(CtrlCAndSchedulerCancel, StopSignal, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) {
                             return info.param == SIGINT ? "SIGINT" : "SIGTERM";
                         });

TEST_F(BuildInterruption, KilledBuildIsTidiedUpByTheNextOne) {
    ActWhenReady kill_now(first_movie_pending(), send(SIGKILL));
    const CliResult killed = build("cache-b", kill_now.on_start());
    ASSERT_TRUE(kill_now.acted()) << describe(killed);
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << describe(killed);
    ASSERT_FALSE(temporaries_in(out()).empty())
        << "a killed build leaves its temporaries (the case under test)";
    std::map<std::string, std::string> kept = snapshot(out());
    for (auto it = kept.begin(); it != kept.end();)
        it = it->first.find(".partial-") != std::string::npos ||
                     it->first.rfind(".storyreel-work-", 0) == 0
                 ? kept.erase(it)
                 : std::next(it);
    EXPECT_EQ(kept, before_) << "the earlier outputs are untouched even by a killed build";

    const CliResult next = build("cache-b");
    ASSERT_EQ(next.exit_code, 0) << describe(next);
    EXPECT_TRUE(temporaries_in(out()).empty()) << temporaries_in(out()).front();
    EXPECT_NE(snapshot(out()).at("build.json"), before_.at("build.json"));
}

/// Once `out` holds a build's scratch folder (it has claimed the folder), freezes that
/// build (SIGSTOP: it keeps its lock, and cannot finish meanwhile), runs `during`, and lets
/// the build go on.
ActWhenReady while_frozen_in(const fs::path& out, std::function<void()> during) {
    return ActWhenReady([out] { return has_name_part(out, ".storyreel-work-"); },
                        [during = std::move(during)](pid_t pid) {
                            ::kill(pid, SIGSTOP);
                            during();
                            ::kill(pid, SIGCONT);
                        });
}

TEST_F(BuildInterruption, SecondBuildIntoTheSameFolderIsRefusedWhileTheFirstRuns) {
    CliResult second;
    ActWhenReady frozen = while_frozen_in(out(), [&] { second = build("cache-c"); });
    const CliResult first = build("cache-b", frozen.on_start());
    ASSERT_TRUE(frozen.acted()) << describe(first);
    EXPECT_EQ(first.exit_code, 0) << describe(first);

    EXPECT_EQ(second.exit_code, 1) << describe(second);
    EXPECT_NE(
        second.err.find(out().string() + ": output folder: is being written by storyreel pid"),
        std::string::npos)
        << describe(second);
    EXPECT_NE(second.err.find("--out"), std::string::npos) << describe(second);
    EXPECT_FALSE(fs::exists(ws_.out("cache-c") / "log")) << "the refused build must not start work";
    EXPECT_TRUE(temporaries_in(out()).empty());
}

TEST_F(BuildInterruption, FarmShardsShareTheFolderAndAMovieBuildIsRefusedWhileTheyRun) {
    const std::vector<std::string> shard_task{"--shard", "1/1", "--log-format", "text"};
    CliResult during_shard, other_shard;
    ActWhenReady frozen = while_frozen_in(out(), [&] {
        during_shard = build("cache-c");
        other_shard = build("cache-d", {}, shard_task);  // shards share the folder
    });
    const CliResult shard = build("cache-b", frozen.on_start(), shard_task);
    ASSERT_TRUE(frozen.acted()) << describe(shard);
    EXPECT_EQ(shard.exit_code, 0) << describe(shard);
    EXPECT_EQ(other_shard.exit_code, 0) << describe(other_shard);
    EXPECT_EQ(during_shard.exit_code, 1) << describe(during_shard);
    EXPECT_NE(during_shard.err.find("is being written by farm shard tasks"), std::string::npos)
        << describe(during_shard);
}

}  // namespace
}  // namespace storyreel
