// `storyreel nightly`: given a project published once, a night with no change submits
// nothing and says so; a redrawn board gets only its sequence rebuilt and published as the
// next version; a bad config is refused before anything is submitted.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/exit_codes.h"
#include "tests/support/farm_workspace.h"
#include "tests/support/file_bytes.h"

namespace storyreel {
namespace {

using testing::contains;

namespace fs = std::filesystem;
using testing::CliResult;
using testing::describe;
using testing::FarmWorkspace;

std::vector<std::string> versions(const fs::path& sequence_folder) {
    std::vector<std::string> found;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(sequence_folder, error))
        if (entry.is_directory() && entry.path().filename().string().rfind("v", 0) == 0 &&
            fs::exists(entry.path() / "manifest.json"))
            found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    return found;
}

std::size_t spool_jobs(const fs::path& spool) {
    std::size_t count = 0;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(spool, error)) count += entry.is_directory();
    return count;
}

struct Nightly {
    FarmWorkspace ws;
    fs::path config = ws.out("nightly.yaml");
    fs::path publish = ws.out("publish");

    Nightly() {
        std::ofstream(config)
            << "nightly: 1\nengine: local\npublish: publish\ncache: cache\nspool: spool\n"
               "shards: 2\nprojects:\n  - project: "
            << ws.project.project_file.string() << "\n    pipeline: " << ws.pipeline_file.string()
            << "\n    out: out\n";
    }
    CliResult run() const {
        return testing::run_storyreel({"nightly", "--config", config.string()});
    }
    fs::path sequence(const std::string& name) const { return publish / "Demo_Show" / name; }
};

TEST(Nightly, PublishesChangedSequencesOnlyAndNothingOnAQuietNight) {
    Nightly nightly;
    const CliResult first = nightly.run();
    ASSERT_EQ(first.exit_code, kExitOk) << describe(first);
    EXPECT_TRUE(contains(first.out, "never published")) << describe(first);
    EXPECT_EQ(versions(nightly.sequence("sq010")), std::vector<std::string>{"v001"})
        << describe(first);
    EXPECT_EQ(versions(nightly.sequence("sq020")), std::vector<std::string>{"v001"})
        << describe(first);
    EXPECT_EQ(spool_jobs(nightly.ws.out("spool")), 1u);

    const CliResult quiet = nightly.run();
    ASSERT_EQ(quiet.exit_code, kExitOk) << describe(quiet);
    EXPECT_TRUE(contains(quiet.out, "nothing changed")) << describe(quiet);
    EXPECT_TRUE(contains(quiet.out, "nothing submitted")) << describe(quiet);
    EXPECT_EQ(spool_jobs(nightly.ws.out("spool")), 1u) << "a quiet night submits no job";

    // Redraw the first board of sq020: only sq020 is rebuilt and published.
    std::size_t redrawn = 0;
    while (nightly.ws.project.panels.at(redrawn).sequence != "sq020") ++redrawn;
    OIIO::ImageBuf board(nightly.ws.board(redrawn).string());
    ASSERT_TRUE(board.read()) << board.geterror();
    OIIO::ImageBuf inverted = OIIO::ImageBufAlgo::invert(board);
    ASSERT_TRUE(inverted.write(nightly.ws.board(redrawn).string())) << inverted.geterror();
    const CliResult changed = nightly.run();
    ASSERT_EQ(changed.exit_code, kExitOk) << describe(changed);
    EXPECT_TRUE(contains(changed.out, "sq020: changed (1 redrawn")) << describe(changed);
    EXPECT_TRUE(contains(changed.out, "sq010: unchanged since v001")) << describe(changed);
    EXPECT_EQ(versions(nightly.sequence("sq010")), std::vector<std::string>{"v001"});
    EXPECT_EQ((versions(nightly.sequence("sq020"))), (std::vector<std::string>{"v001", "v002"}));
    EXPECT_EQ(spool_jobs(nightly.ws.out("spool")), 2u);
}

TEST(Nightly, BadConfigIsRefusedWithFileAndLineBeforeAnythingIsSubmitted) {
    Nightly nightly;
    std::ofstream(nightly.config)
        << "nightly: 1\nengine: pbs\npublish: publish\nspool: spool\nprojects:\n"
           "  - project: missing/project.yaml\n    out: out\n    colour: red\n";
    const CliResult result = nightly.run();
    EXPECT_EQ(result.exit_code, kExitInvalidConfig) << describe(result);
    EXPECT_TRUE(contains(result.err, nightly.config.string() + ":2:")) << describe(result);
    EXPECT_TRUE(contains(result.err, "pbs")) << describe(result);
    EXPECT_TRUE(contains(result.err, "missing/project.yaml")) << describe(result);
    EXPECT_TRUE(contains(result.err, "colour")) << describe(result);
    EXPECT_FALSE(fs::exists(nightly.ws.out("spool")));
}

}  // namespace
}  // namespace storyreel
