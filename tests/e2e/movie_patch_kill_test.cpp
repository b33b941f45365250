// A build killed (SIGKILL) at any moment of a patch by appending (stages/movie_patch.h)
// leaves the previous movie playable and correct under its name (or, once the old header
// is retired, the new one), and the next build repairs it: a movie that plays like a fresh
// build, whose recorded checksum is its bytes'.

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "pipeline/block_checksum.h"
#include "tests/support/background_run.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/movie_probe.h"
#include "tests/support/patch_workspace.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::BackgroundRun;
using testing::PatchWorkspace;

const std::string kProres =
    testing::patch_pipeline("codec: prores, profile: proxy, compact_above: 90");

/// The build's movie, decoded frame by frame (empty when it does not open).
std::vector<std::string> pictures(const fs::path& movie) {
    try {
        return testing::decoded_frame_hashes(movie);
    } catch (const std::exception&) {
        return {};
    }
}

/// ffmpeg reads the movie through without an error.
void expect_clean(const fs::path& movie) {
    EXPECT_EQ(testing::shell_output("ffmpeg -v error -i '" + movie.string() + "' -f null - 2>&1"),
              "");
}

/// Builds to the end; the movie's checksum in build.json is its bytes', and it plays like
/// a fresh build of the same boards.
std::vector<std::string> build_and_check(const PatchWorkspace& ws, const fs::path& movie) {
    const auto built = testing::run_storyreel(ws.build_args());
    EXPECT_EQ(built.exit_code, 0) << testing::describe(built);
    const auto report =
        nlohmann::json::parse(testing::read_file(ws.dir.path() / "out" / "build.json"));
    const std::string checksum = report.at("outputs").at(0).at("checksum");
    EXPECT_EQ(file_checksum_like(movie, checksum), checksum);
    expect_clean(movie);
    return pictures(movie);
}

struct KilledPatch : ::testing::Test {
    PatchWorkspace ws{kProres};
    fs::path movie = ws.dir.path() / "out" / "sq010_enc.mov";
    std::vector<std::string> before;  ///< the movie before the redraw

    void SetUp() override {
        before = build_and_check(ws, movie);
        ASSERT_FALSE(before.empty());
    }
};

TEST_F(KilledPatch, BeforeTheOldHeaderIsRetiredThePreviousMoviePlays) {
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    BackgroundRun run(ws.build_args(), {"STORYREEL_PATCH_STOP_AT=appended"});
    ASSERT_TRUE(run.wait_until_stopped()) << "the build never reached the patch";
    EXPECT_GT(fs::file_size(movie), 0u);
    run.kill_now();
    EXPECT_EQ(pictures(movie), before);
    expect_clean(movie);
    const auto after = build_and_check(ws, movie);
    EXPECT_NE(after, before);
    EXPECT_EQ(after, pictures(ws.build("fresh", "fresh-cache").outputs.at(0).path));
}

TEST_F(KilledPatch, AfterTheOldHeaderIsRetiredTheNewMoviePlaysAndTheNextBuildRecordsIt) {
    ws.redraw(4, {0.9f, 0.2f, 0.1f});
    const auto fresh = pictures(ws.build("fresh", "fresh-cache").outputs.at(0).path);
    BackgroundRun run(ws.build_args(), {"STORYREEL_PATCH_STOP_AT=retired"});
    ASSERT_TRUE(run.wait_until_stopped()) << "the build never reached the patch";
    run.kill_now();
    EXPECT_EQ(pictures(movie), fresh);  // the log does not know it yet
    expect_clean(movie);
    EXPECT_EQ(build_and_check(ws, movie), fresh);
}

TEST_F(KilledPatch, KilledAtRandomMomentsTheMoviePlaysAsBeforeOrAsRedrawnAndIsRepaired) {
    // How long a patch build takes here, uninterrupted.
    ws.redraw(7, {0.1f, 0.5f, 0.9f});
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> current = build_and_check(ws, movie);
    const auto typical = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::mt19937 random(20);
    for (int round = 1; round <= 6; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        const float shade = 0.15f * static_cast<float>(round);
        ws.redraw(round % 2 ? 1 : 7, {shade, 0.5f, 1.0f - shade});
        const auto delay = std::chrono::milliseconds(
            std::uniform_int_distribution<long>(0, typical.count())(random));
        {
            BackgroundRun run(ws.build_args(), {});
            std::this_thread::sleep_for(delay);
            run.kill_now();
        }
        const auto killed = pictures(movie);
        const auto repaired = build_and_check(ws, movie);
        EXPECT_TRUE(killed == current || killed == repaired)
            << "after a kill at " << delay.count()
            << " ms the movie plays neither as before nor as redrawn";
        if (killed == current) expect_clean(movie);
        current = repaired;
    }
    EXPECT_EQ(current, pictures(ws.build("fresh", "fresh-cache").outputs.at(0).path));
}

}  // namespace
}  // namespace storyreel
