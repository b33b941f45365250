// `storyreel checksum`: the block-list checksum is what its definition says, checked with
// xxhsum (split into 8 MiB blocks, hash each, hash the digests); --whole is xxhsum -H2;
// --verify passes an intact build and names the output that was changed.

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "demo/demo_project.h"
#include "pipeline/build.h"
#include "stages/builtin_stages.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::describe;
using testing::run_program;
using testing::run_storyreel;

/// The first word xxhsum -H2 prints for `file` (its 32 hex digits).
std::string xxhsum(const fs::path& file) {
    const auto result = run_program({"xxhsum", "-H2", file.string()});
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    return result.out.substr(0, result.out.find(' '));
}

void write_random_file(const fs::path& file, std::size_t size) {
    std::mt19937_64 random(42);
    std::string bytes(size, '\0');
    for (auto& byte : bytes) byte = static_cast<char>(random());
    std::ofstream(file, std::ios::binary) << bytes;
}

TEST(ChecksumCommand, BlockListChecksumIsXxhsumOfTheBlocksDigests) {
    testing::TempDir dir;
    const fs::path file = dir.path() / "movie.bin";
    write_random_file(file,
                      (std::size_t{8} << 20) * 2 + 12345);  // two whole blocks and a short one

    // The definition, with tools nobody here wrote: split, xxhsum each block, xxhsum the
    // digests' bytes (big-endian, as xxhsum prints them) in order.
    const auto split =
        run_program({"split", "-b", "8M", "-d", file.string(), (dir.path() / "block.").string()});
    ASSERT_EQ(split.exit_code, 0) << describe(split);
    std::string digests;
    for (const char* name : {"block.00", "block.01", "block.02"}) {
        const std::string hex = xxhsum(dir.path() / name);
        ASSERT_EQ(hex.size(), 32u) << hex;
        for (std::size_t i = 0; i < 32; i += 2)
            digests += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    std::ofstream(dir.path() / "digests.bin", std::ios::binary) << digests;
    const std::string expected = "xxh128-8m:" + xxhsum(dir.path() / "digests.bin");

    const auto blocks = run_storyreel({"checksum", file.string()});
    ASSERT_EQ(blocks.exit_code, 0) << describe(blocks);
    EXPECT_EQ(blocks.out, expected + "  " + file.string() + "\n");
    const auto whole = run_storyreel({"checksum", "--whole", file.string()});
    ASSERT_EQ(whole.exit_code, 0) << describe(whole);
    EXPECT_EQ(whole.out, "xxh128:" + xxhsum(file) + "  " + file.string() + "\n");
}

TEST(ChecksumCommand, VerifyPassesAnIntactBuildAndNamesAChangedMovie) {
    testing::TempDir dir;
    demo::DemoOptions options;
    options.sequences = 1;
    options.shots_per_sequence = 2;
    options.panels_per_shot = 2;
    options.min_hold_frames = options.max_hold_frames = 6;
    options.width = 640;
    options.height = 360;
    options.varied_formats = false;
    const auto project = demo::write_demo_project(dir.path() / "project", options);
    const fs::path pipeline = dir.path() / "pipeline.yaml";
    std::ofstream(pipeline) << R"(pipeline: 1
name: test-checksum
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: audio, type: audio}
  - {name: prores, type: encode, needs: [conform, audio], params: {codec: prores, profile: proxy}}
  - {name: h264, type: encode, needs: [conform, audio], params: {codec: h264, preset: veryfast}}
)";
    BuildRequest request;
    request.project = project.project_file;
    request.pipeline = pipeline;
    request.output_dir = dir.path() / "out";
    request.cache_dir = dir.path() / "cache";
    const BuildResult built = run_build(request, builtin_stage_registry());
    const std::string report = built.report.string();

    const auto intact = run_storyreel({"checksum", "--verify", report});
    EXPECT_EQ(intact.exit_code, 0) << describe(intact);
    const std::string all = std::to_string(built.outputs.size());
    EXPECT_NE(intact.out.find(all + " of " + all + " outputs match"), std::string::npos)
        << intact.out;

    fs::path movie;
    for (const auto& output : built.outputs)
        if (output.path.extension() == ".mov") movie = output.path;
    ASSERT_FALSE(movie.empty());
    {
        const auto middle = static_cast<std::streamoff>(fs::file_size(movie) / 2);
        std::fstream file(movie, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(middle);
        const char byte = static_cast<char>(file.get() ^ 0x01);
        file.seekp(middle);
        file.put(byte);
    }
    const auto changed = run_storyreel({"checksum", "--verify", report});
    EXPECT_EQ(changed.exit_code, 1) << describe(changed);
    EXPECT_NE(changed.out.find("FAILED  " + movie.string()), std::string::npos) << changed.out;
    EXPECT_NE(changed.err.find("differ from the build report"), std::string::npos) << changed.err;
}

TEST(ChecksumCommand, AMissingReportOrFolderIsNamedAsMissing) {
    testing::TempDir dir;
    const std::string missing = (dir.path() / "v003").string();
    const auto result = run_storyreel({"checksum", "--verify", missing});
    EXPECT_EQ(result.exit_code, 64) << describe(result);
    EXPECT_NE(result.err.find(missing + ": no such file or folder"), std::string::npos)
        << result.err;
}

}  // namespace
}  // namespace storyreel
