#include "tests/support/file_bytes.h"

#include <fstream>
#include <sstream>

namespace storyreel::testing {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace storyreel::testing
