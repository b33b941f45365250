#pragma once
// A private temporary folder for one test, removed with everything in it when the test
// ends.

#include <filesystem>

namespace storyreel::testing {

/// Creates a fresh folder with mkdtemp under $TMPDIR (or /tmp) and removes it recursively
/// in the destructor. Throws std::system_error when the folder cannot be created.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// The folder's absolute path.
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace storyreel::testing
