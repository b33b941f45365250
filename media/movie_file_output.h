#pragma once
// Writes a multi-gigabyte movie at the speed of the disk, hashing it on the way.
//
// libav's file protocol writes through the page cache: for an intra movie of several
// gigabytes the kernel's dirty-page throttling caps that at a few hundred MB/s, most of it
// system time, and hashing the file afterwards is a second pass over it. Here the muxer
// writes into a custom AVIOContext whose bytes go to disk in large aligned blocks with
// O_DIRECT from a writer thread (measured ~3x faster on this machine's disk), and are
// hashed as they go: each 8 MiB block written is one block of the movie's "xxh128-8m:"
// checksum (pipeline/block_checksum.h), whose digests are kept for patching it later.
//
// A muxer goes back to rewrite a few header bytes once it knows the sizes (MOV's mdat size
// at the start of the file). The first block is therefore kept in memory until the end and
// written last, with its final bytes; a rewrite of any other block already on disk is
// written there at the end and only that block is read back and hashed again.
//
// The output is push-style: a muxer writes into avio() as segments arrive (a movie can be
// written while the later shots are still being encoded), and finish() completes it.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/block_checksum.h"

extern "C" {
#include <libavformat/avio.h>
}

namespace storyreel {

struct WrittenMovie {
    std::string checksum;               ///< "xxh128-8m:<hex>" (block_list_checksum)
    std::vector<BlockDigest> blocks;    ///< its blocks' digests
    bool hashed_while_writing = false;  ///< false: some block was rewritten on disk and read back
    bool direct_io = false;             ///< false: the filesystem refused O_DIRECT
};

/// A movie file being written (see above). Not thread-safe: one muxer writes into it.
class MovieFileOutput {
  public:
    /// Creates the file. `direct_io` false writes through the page cache (what a filesystem
    /// without O_DIRECT gets anyway). Throws BuildError naming `path`.
    explicit MovieFileOutput(const std::filesystem::path& path, bool direct_io = true);
    /// Stops writing; the file stays as it is (its owner removes it).
    ~MovieFileOutput();
    MovieFileOutput(const MovieFileOutput&) = delete;
    MovieFileOutput& operator=(const MovieFileOutput&) = delete;

    /// For an AVFormatContext's pb (with AVFMT_FLAG_CUSTOM_IO); the muxer must not close it,
    /// and must leave it flushed before finish().
    AVIOContext* avio() const;

    /// Writes what is left and checksums the file. Throws BuildError naming the file.
    WrittenMovie finish();

  private:
    class Writer;
    std::unique_ptr<Writer> writer_;
    AVIOContext* avio_ = nullptr;
};

/// Writes the movie at `path` by calling `mux(output)` once with a MovieFileOutput's
/// avio(), then finishes it.
WrittenMovie write_movie_file(const std::filesystem::path& path,
                              const std::function<void(AVIOContext* output)>& mux,
                              bool direct_io = true);

}  // namespace storyreel
