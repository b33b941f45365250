#pragma once
// Patches the previous build's movie when only some shots' pictures changed.
//
// A redrawn board re-encodes one shot, but a whole-cut editorial movie is tens of gigabytes
// of the other shots' frames, unchanged. Two ways avoid writing them again:
//
// In place: DNxHR frames all have the same size for a profile and picture size, so the
// redrawn shot's new frames fit exactly where its old ones lie: when every new frame has
// the size of the frame it replaces, writing those frames' bytes over the old ones gives
// the very file a full assembly would write. apply() renames the movie aside, writes the
// frames, syncs and renames it back: the final name never shows a half-patched movie.
//
// By appending (any MOV, ProRes whose frame sizes vary): QuickTime allows several `mdat`
// boxes, `free` boxes anywhere and sample tables that point wherever the samples are. The
// changed shots' drawings (each once, its held frames all pointing at it) are appended in
// a new `mdat`, followed by a new `moov` whose video sample table points at them and at the
// unchanged frames where they lie (stages/mov_boxes.h). The order of the writes keeps the
// movie playable and correct under its name whatever moment a build is killed at: players
// take the first `moov`, so the old one stays first until the new data and header are on
// disk (synced); then one 4-byte write turns it into `free` space (synced). A kill before
// that leaves the old movie with unreferenced bytes after it; the next build sees the file
// differ from its record and assembles it in full.
//
// Dead space (retired headers, replaced frames) is counted in the build log; when a patch
// would bring it over the encode stage's `compact_above` share of the file (default 25 %),
// the movie is assembled in full instead (compacted), and the build says so.
//
// Either way the previous movie must have the same layout (settings, every shot's length,
// audio, metadata; movie_layout_key) and be untouched since the build that recorded it.
// Everything is planned, read and checksummed before the build commits: the blocks the
// patch touches (or extends) are read back, checked against the digests recorded when the
// movie was written (so a movie changed behind the log's back is never patched), and hashed
// with the new bytes in place, which gives the new "xxh128-8m:" checksum without reading
// the rest of the movie.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "media/av_handles.h"
#include "pipeline/block_checksum.h"
#include "pipeline/shot_record.h"

namespace storyreel {

/// "12 MB", for messages.
std::string rounded_megabytes(std::uint64_t bytes);

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
    /// Dead space (bytes no sample or header uses) above which the movie is assembled in
    /// full rather than patched by appending, as a share of the patched file.
    double compact_above = 0.25;
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

    /// How the movie is patched.
    enum class Kind { in_place, appended };

    Kind kind() const { return kind_; }
    const std::string& checksum() const { return checksum_; }
    const std::vector<BlockDigest>& blocks() const { return blocks_; }
    /// The patched movie's size.
    std::uint64_t size_bytes() const { return new_size_; }
    /// Bytes of the patched movie that nothing uses (retired headers, replaced frames).
    std::uint64_t dead_bytes() const { return dead_bytes_; }
    std::size_t shots_replaced() const { return shots_replaced_; }
    std::int64_t frames_replaced() const { return frames_replaced_; }
    /// Bytes written into the movie (new frames, and the new header when appending).
    std::uint64_t bytes_written() const { return bytes_written_; }
    /// One line for logs and --explain: what the patch writes.
    std::string summary() const;

    /// Writes the patch. In place: the movie is renamed aside meanwhile, and a movie left
    /// half-patched is removed. Appending: the movie stays playable under its name
    /// throughout, and a failure before the old header is retired cuts the appended bytes
    /// off again. Throws BuildError; either way the next build assembles it in full.
    void apply();

  private:
    /// Bytes to write at `offset` of the movie (a packet of packets_ or a buffer of owned_).
    struct Write {
        std::int64_t offset = 0;
        const unsigned char* data = nullptr;
        std::size_t size = 0;
    };
    /// The new drawings of one changed shot, in order: packets_[first + i] held held[i] frames.
    struct ShotDrawings {
        std::size_t shot = 0;  ///< index in MoviePatchRequest::shots
        std::size_t first = 0;
        std::vector<std::int64_t> held;
    };

    /// Where each frame of the movie lies.
    struct FrameEntry {
        std::int64_t offset = 0;
        int size = 0;
    };

    bool read_changed_shots(const MoviePatchRequest& request,
                            const std::vector<std::string>& old_keys, std::string& why_not);
    bool plan_in_place(const MoviePatchRequest& request, const std::vector<FrameEntry>& frames);
    bool plan_appended(const MoviePatchRequest& request, const std::vector<FrameEntry>& frames,
                       std::string& why_not);
    static std::vector<std::size_t> touched_blocks(std::vector<Write>& all);
    bool rehash_touched_blocks(std::string& why_not);
    void apply_in_place();
    void apply_appended();

    Kind kind_ = Kind::in_place;
    std::filesystem::path path_;
    std::uint64_t size_ = 0;      ///< of the previous movie
    std::uint64_t new_size_ = 0;  ///< of the patched one
    long long mtime_ = 0;
    std::vector<av::PacketPtr> packets_;             ///< each new drawing once
    std::vector<ShotDrawings> changed_;              ///< the shots whose key changed
    std::vector<std::vector<unsigned char>> owned_;  ///< appended box headers and the new moov
    std::vector<Write> writes_;                      ///< sorted by offset
    std::optional<Write> retire_;      ///< appending: the old moov's type becoming "free"
    std::vector<BlockDigest> blocks_;  ///< of the patched movie
    std::string checksum_;
    std::size_t shots_replaced_ = 0;
    std::size_t shots_total_ = 0;
    std::int64_t frames_replaced_ = 0;
    std::uint64_t bytes_written_ = 0;
    std::uint64_t dead_bytes_ = 0;
};

}  // namespace storyreel
