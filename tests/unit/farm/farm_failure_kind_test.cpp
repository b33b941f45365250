// What a failed farm task exits with (farm/failure_kind.h): retry for a shared cache or
// storage that failed for a moment, failed for good for bad input, and 70 for a bug, as
// the command line's last-resort handler says.

#include <gtest/gtest.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "farm/failure_kind.h"
#include "pipeline/diagnostics.h"
#include "pipeline/exit_codes.h"

namespace storyreel::farm {
namespace {

TEST(FarmFailureKind, StorageHiccupsAreRetriedBadInputIsNot) {
    const std::filesystem::path cache = "/farm/cache";
    EXPECT_EQ(
        exit_code_for_failure(std::system_error(ESTALE, std::generic_category(), "read"), cache),
        kExitRetry);
    EXPECT_EQ(
        exit_code_for_failure(std::system_error(ENOENT, std::generic_category(), "read"), cache),
        kExitBuildFailed);
    EXPECT_EQ(exit_code_for_failure(BuildError({{"/farm/cache/objects/ab/entry.json", 0, 0},
                                                "cache",
                                                "cannot publish cache entry",
                                                {}}),
                                    cache),
              kExitRetry);
    EXPECT_EQ(
        exit_code_for_failure(
            BuildError({{"/show/boards/p1.png", 0, 0}, "panel p1", "cannot read the board", {}}),
            cache),
        kExitBuildFailed);
    EXPECT_EQ(exit_code_for_failure(std::runtime_error("a reader's message"), cache),
              kExitBuildFailed);
}

TEST(FarmFailureKind, AnExceptionNoReaderMeantAsAMessageIsAnInternalError) {
    const std::filesystem::path cache = "/farm/cache";
    EXPECT_EQ(exit_code_for_failure(std::out_of_range("stoll"), cache), kExitInternalError);
    EXPECT_EQ(exit_code_for_failure(std::invalid_argument("stoi"), cache), kExitInternalError);
    EXPECT_EQ(exit_code_for_failure(std::bad_exception(), cache), kExitInternalError);
}

}  // namespace
}  // namespace storyreel::farm
