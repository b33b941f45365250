#pragma once
// Patches the previous build's movie in place when only some shots' pictures changed.
//
// A redrawn board re-encodes one shot, but a whole-cut editorial movie is tens of gigabytes
// of the other shots' frames, unchanged. DNxHR frames all have the same size for a profile
// and picture size, so the redrawn shot's new frames fit exactly where its old ones lie:
// when the previous movie has the same layout (settings, every shot's length, audio,
// metadata; movie_layout_key) and every new frame has the size of the frame it replaces,
// writing those frames' bytes over the old ones gives the very file a full assembly would
// write. Anything else (a ProRes frame of another size, a retimed shot, a file touched
// since, most of the movie changed) assembles the movie in full.
//
// Everything is planned, read and checksummed before the build commits: the blocks the
// patch touches are read back, checked against the digests recorded when the movie was
// written (so a movie changed behind the log's back is never patched), and hashed with the
// new frames in place, which gives the new "xxh128-8m:" checksum without reading the rest
// of the movie. apply() then renames the movie aside, writes the frames, syncs and renames
// it back: the final name never shows a half-patched movie.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/block_checksum.h"
#include "pipeline/shot_record.h"
#include "stages/av_handles.h"

namespace storyreel {

/// One shot (the slate first, when there is one) of the movie to build, in order.
struct MovieShot {
    std::string name;  ///< "sq010/sh020", for messages
    std::string key;
    std::int64_t frames = 0;
    std::filesystem::path segment;  ///< its intra segment (held drawings)
};

/// What a patch has to go on: the previous movie and what the new one is made of.
struct MoviePatchRequest {
    const BuildLog* log = nullptr;
    std::string stage;
    std::filesystem::path path;  ///< the movie's final name
    std::string layout;          ///< movie_layout_key of the movie to build
    std::vector<MovieShot> shots;
    AVRational frame_time_base{1, 24};
};

class MoviePatch {
public:
    /// The patch that turns the previous movie into the one `request` describes, or nothing
    /// when the movie must be assembled in full; `why_not` then says why ("" when there is
    /// no previous movie to patch). Throws BuildError only for unreadable segments.
    static std::optional<MoviePatch> plan(const MoviePatchRequest& request, std::string& why_not);

    /// Whether a previous movie at `path` may be patched into one of `layout` (its record
    /// is there, untouched, with block digests and that layout): then the movie is planned
    /// at the end of its unit, once the new segments exist. When not, `why_not` says why
    /// ("" when there is no previous movie to patch). Never throws.
    static bool candidate_on_disk(const BuildLog& log, const std::string& stage,
                                  const std::filesystem::path& path, const std::string& layout,
                                  std::string& why_not);

    const std::string& checksum() const { return checksum_; }
    const std::vector<BlockDigest>& blocks() const { return blocks_; }
    std::uint64_t size_bytes() const { return size_; }
    std::size_t shots_replaced() const { return shots_replaced_; }
    std::int64_t frames_replaced() const { return static_cast<std::int64_t>(writes_.size()); }
    std::uint64_t bytes_replaced() const { return bytes_replaced_; }

    /// Writes the new frames into the movie (renamed aside meanwhile). Throws BuildError;
    /// a movie left half-patched is removed, so the next build assembles it in full.
    void apply();

private:
    /// One frame's bytes at `offset` of the movie: packets_[packet].
    struct Write {
        std::int64_t offset = 0;
        std::size_t packet = 0;
    };

    /// Where each frame of the movie lies.
    struct FrameEntry {
        std::int64_t offset = 0;
        int size = 0;
    };

    bool collect_writes(const MoviePatchRequest& request, const std::vector<std::string>& old_keys,
                        const std::vector<FrameEntry>& frames, std::string& why_not);
    bool rehash_touched_blocks(std::string& why_not);

    std::filesystem::path path_;
    std::uint64_t size_ = 0;
    long long mtime_ = 0;
    std::vector<av::PacketPtr> packets_;  ///< each new drawing once
    std::vector<Write> writes_;           ///< sorted by offset
    std::vector<BlockDigest> blocks_;     ///< of the patched movie
    std::string checksum_;
    std::size_t shots_replaced_ = 0;
    std::uint64_t bytes_replaced_ = 0;
};

}  // namespace storyreel
