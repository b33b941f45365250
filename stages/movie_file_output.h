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
// A muxer goes back to rewrite a few header bytes once it knows the sizes (MOV's mdat size,
// MXF's header partition). A streaming hash cannot take those back, so the movie is first
// muxed into a counter that keeps no bytes and only records what the muxer rewrites; the
// real pass puts the final bytes in place as they are first written. If the two passes
// ever disagree the file is still correct (the rewrite is applied) and the checksum is
// computed by reading the file again.

#include <cstdint>
#include <filesystem>
#include <functional>
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
    bool hashed_while_writing = false;  ///< false: the passes differed, the file was re-read
    bool direct_io = false;             ///< false: the filesystem refused O_DIRECT
};

/// Writes the movie at `path` by calling `mux(output)` with an AVIOContext to use as the
/// AVFormatContext's pb (with AVFMT_FLAG_CUSTOM_IO; the callee must not close it, and
/// must leave it flushed). `mux` is called twice and must write the same bytes each time.
/// `direct_io` false writes through the page cache (what a filesystem without O_DIRECT gets
/// anyway). Throws BuildError naming `path`.
WrittenMovie write_movie_file(const std::filesystem::path& path,
                              const std::function<void(AVIOContext* output)>& mux,
                              bool direct_io = true);

}  // namespace storyreel
