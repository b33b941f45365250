// The capture files of the farm's sub-processes (sbatch, scontrol, ...) go where $TMPDIR
// says, /tmp only when it is unset: a scheduler's job-private scratch, or a user's choice,
// is respected. The child itself reports where its stdout is (the file is unlinked at once).

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "farm/process.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// Sets (or unsets) TMPDIR for one scope.
class TmpdirAs {
  public:
    explicit TmpdirAs(const std::optional<std::string>& value) {
        if (const char* old = std::getenv("TMPDIR")) old_ = old;
        if (value)
            ::setenv("TMPDIR", value->c_str(), 1);
        else
            ::unsetenv("TMPDIR");
    }
    ~TmpdirAs() {
        if (old_)
            ::setenv("TMPDIR", old_->c_str(), 1);
        else
            ::unsetenv("TMPDIR");
    }

  private:
    std::optional<std::string> old_;
};

/// Where the child's stdout and stderr were, as it saw them.
std::string capture_locations() {
    const auto result =
        farm::run_process({"sh", "-c", "readlink /proc/self/fd/1; readlink /proc/self/fd/2 >&1"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
}

TEST(FarmCapture, FilesGoToTmpdirWhenSet) {
    testing::TempDir dir;
    const fs::path scratch = dir.path() / "job scratch";
    fs::create_directory(scratch);
    const TmpdirAs tmpdir(scratch.string());
    const std::string where = capture_locations();
    const std::string expected = (scratch / "storyreel-capture-").string();
    EXPECT_EQ(where.find(expected), 0u) << where;
    EXPECT_NE(where.find(expected, expected.size()), std::string::npos) << "stderr too: " << where;
    EXPECT_TRUE(fs::is_empty(scratch)) << "capture files are unlinked once open";
}

TEST(FarmCapture, FilesGoToTmpWhenTmpdirIsUnsetOrEmpty) {
    for (const std::optional<std::string>& value :
         {std::optional<std::string>{}, std::optional<std::string>{""}}) {
        const TmpdirAs tmpdir(value);
        EXPECT_EQ(capture_locations().find("/tmp/storyreel-capture-"), 0u);
    }
}

TEST(FarmCapture, AnUnusableTmpdirIsNamedInTheError) {
    testing::TempDir dir;
    const TmpdirAs tmpdir((dir.path() / "does-not-exist").string());
    try {
        farm::run_process({"true"});
        FAIL() << "no capture file could be created, yet it ran";
    } catch (const std::system_error& error) {
        EXPECT_NE(std::string(error.what()).find("does-not-exist"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("TMPDIR"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace storyreel
