#pragma once
// The readers storyreel points at user files, each as one entry point that takes raw bytes.
//
// Shared by the libFuzzer targets (tests/fuzz/fuzz_target.cpp, one executable per reader)
// and the normal test suite (tests/unit/fuzz_regression_test.cpp), so a crashing input found by
// fuzzing is replayed through exactly the same code on every test run.
//
// An entry point writes the bytes where the reader expects its file (in a private
// workspace folder made once per process, with the fixed files around it the reader
// needs) and calls the reader the way the command line does. It returns normally when the
// reader accepted the input or refused it the promised way: diagnostics, or one of the
// project's typed errors (ValidationError, BuildError, PublishError). Anything else (a
// crash, a sanitizer report, an exception of another type escaping) is a finding.

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/temp_dir.h"

namespace storyreel::fuzz {

/// A private folder (under $TMPDIR) holding the files the readers read; removed when
/// destroyed. One per process in a fuzz target; one per test in the test suite.
using Workspace = storyreel::testing::TempDir;

/// One reader under fuzzing.
struct FuzzReader {
    std::string name;         ///< the fuzz target's name: "edl", "project_yaml", ...
    std::string description;  ///< what file the bytes stand for
    void (*read)(Workspace& workspace, std::string_view input);
};

/// Every reader, in the order scripts/fuzz.sh runs them.
const std::vector<FuzzReader>& fuzz_readers();

/// The reader called `name`; nullptr when there is none.
const FuzzReader* find_fuzz_reader(std::string_view name);

/// Feeds `input` to `reader`. Returns normally when the reader accepted or refused it with
/// a typed error; lets anything else escape.
void run_fuzz_input(const FuzzReader& reader, Workspace& workspace, std::string_view input);

}  // namespace storyreel::fuzz
