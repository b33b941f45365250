// Every fuzz seed and every input the fuzzers found crashing (tests/fuzz/seeds/<reader>/,
// tests/fuzz/regressions/<reader>/, and the Storyboarder samples read in place) goes
// through the same reader entry points as the fuzz targets: each must be accepted or
// refused with a typed error, never crash or escape with another exception.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_entry_points.h"
#include "tests/support/shared_samples.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

const fs::path kFuzzFolder = fs::path(STORYREEL_SOURCE_DIR) / "tests" / "fuzz";

std::vector<fs::path> files_in(const fs::path& folder) {
    std::vector<fs::path> files;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder, error))
        if (item.is_regular_file()) files.push_back(item.path());
    std::sort(files.begin(), files.end());
    return files;
}

/// The real Storyboarder files a reader is also fuzzed from (scripts/fuzz.sh), if present.
std::vector<fs::path> sample_inputs(const std::string& reader) {
    std::vector<fs::path> files;
    const fs::path samples = testing::shared_sample("storyboarder");
    if (samples.empty()) return files;
    for (const auto& item : fs::recursive_directory_iterator(samples)) {
        const std::string extension = item.path().extension().string();
        if ((reader == "storyboarder_scene" && extension == ".storyboarder") ||
            (reader == "fountain" && extension == ".fountain") ||
            (reader == "fdx" && extension == ".fdx"))
            files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string bytes_of(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class FuzzInputs : public ::testing::TestWithParam<fuzz::FuzzReader> {};

TEST_P(FuzzInputs, SeedsRegressionsAndSamplesAreReadOrRefusedWithATypedError) {
    const fuzz::FuzzReader& reader = GetParam();
    std::vector<fs::path> inputs = files_in(kFuzzFolder / "seeds" / reader.name);
    ASSERT_FALSE(inputs.empty()) << "no seeds for " << reader.name << " in "
                                 << kFuzzFolder / "seeds";
    for (const auto& file : files_in(kFuzzFolder / "regressions" / reader.name))
        inputs.push_back(file);
    for (const auto& file : sample_inputs(reader.name)) inputs.push_back(file);
    fuzz::Workspace workspace;
    for (const auto& file : inputs) {
        SCOPED_TRACE(file.string());
        try {
            fuzz::run_fuzz_input(reader, workspace, bytes_of(file));
        } catch (const std::exception& error) {
            ADD_FAILURE() << reader.name << " let an untyped exception escape on " << file << ": "
                          << error.what();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Readers, FuzzInputs, ::testing::ValuesIn(fuzz::fuzz_readers()),
                         [](const auto& info) { return info.param.name; });

TEST(FuzzRegressions, EveryFolderNamesAReader) {
    for (const char* kind : {"seeds", "regressions"}) {
        std::error_code error;
        for (const auto& item : fs::directory_iterator(kFuzzFolder / kind, error))
            EXPECT_NE(fuzz::find_fuzz_reader(item.path().filename().string()), nullptr)
                << item.path() << " is named after no reader of tests/fuzz/fuzz_entry_points.cpp";
    }
}

TEST(FuzzRegressions, AnUntypedExceptionEscapesTheEntryPoint) {
    // The harness must not swallow what it is there to find.
    const fuzz::FuzzReader throwing{
        "throwing", "a reader with a bug",
        [](fuzz::Workspace&, std::string_view) { throw std::out_of_range("stoll"); }};
    fuzz::Workspace workspace;
    EXPECT_THROW(fuzz::run_fuzz_input(throwing, workspace, "1"), std::out_of_range);
}

}  // namespace
}  // namespace storyreel
