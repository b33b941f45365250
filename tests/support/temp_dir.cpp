#include "tests/support/temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <system_error>

namespace storyreel::testing {

namespace fs = std::filesystem;

namespace {

fs::path temp_root() {
    const char* configured = std::getenv("TMPDIR");
    if (configured && *configured) {
        std::error_code error;
        if (fs::is_directory(configured, error)) return configured;
    }
    return "/tmp";
}

}  // namespace

TempDir::TempDir() {
    std::string pattern = (temp_root() / "storyreel-test-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::system_error(errno, std::generic_category(),
                                "cannot create a temporary folder from " + pattern);
    path_ = fs::absolute(pattern).lexically_normal();
}

TempDir::~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
}

}  // namespace storyreel::testing
