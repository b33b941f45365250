#pragma once
// Is the movie a previous build assembled still exactly what this build would assemble?
//
// A movie is made from its shots' segments (content keys), the cut's audio and the
// container metadata. When none of that changed and the file on disk is the one the
// previous build wrote (same size and modification time, as ninja trusts mtimes), the
// encode stage keeps it instead of copying gigabytes again: after one redraw only the
// sequences that contain it are re-assembled (or patched, stages/movie_patch.h).

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "media/movie_writer.h"
#include "pipeline/block_checksum.h"
#include "pipeline/cut_plan.h"
#include "pipeline/shot_record.h"

namespace storyreel {

/// Everything that determines a movie's bytes, hashed. `audio_key`: the unit's
/// audio_samples_key (stages/audio_track.h), empty for a movie without sound.
std::string movie_assembly_key(const std::string& settings, const OutputUnit& unit,
                               const MovieMetadata& metadata,
                               const std::vector<std::string>& shot_keys,
                               const std::string& audio_key);

/// What the movie's bytes depend on apart from its shots' pictures: the same inputs as
/// movie_assembly_key, with each shot's length (`shot_frames`, slate first) in place of
/// its key. Two movies with one layout differ only inside their shots' video frames.
std::string movie_layout_key(const std::string& settings, const OutputUnit& unit,
                             const MovieMetadata& metadata,
                             const std::vector<std::int64_t>& shot_frames,
                             const std::string& audio_key);

/// A movie still on disk as the previous build wrote it.
struct ExistingMovie {
    std::uint64_t size_bytes = 0;
    std::string checksum;
};

/// The movie at `path`, when the log says it was assembled from `key` and the file is
/// untouched since. Never throws: anything missing or odd just means "re-assemble".
std::optional<ExistingMovie> find_up_to_date_movie(const BuildLog& log, const std::string& stage,
                                                   const std::string& key,
                                                   const std::filesystem::path& path);

/// A file's modification time as the build log records it.
long long modification_time(const std::filesystem::path& path);

/// The log's record of the movie at `path` when the file is untouched since the build
/// that wrote it (same path, size and modification time). Never throws.
std::optional<nlohmann::json> untouched_movie_record(const BuildLog& log, const std::string& stage,
                                                     const std::filesystem::path& path);

/// What a committed movie is remembered by.
struct RememberedMovie {
    std::string key;                     ///< movie_assembly_key
    std::string layout;                  ///< movie_layout_key; "" when it cannot be patched
    std::vector<std::string> shot_keys;  ///< slate first, as in the assembly key
    std::string checksum;
    std::vector<BlockDigest> blocks;  ///< empty unless checksummed in blocks
    std::uint64_t dead_bytes = 0;     ///< bytes no sample or header uses (movie_patch.h)
};

/// Records the movie just committed at `path` (after its rename to the final name).
void remember_movie(BuildLog& log, const std::string& stage, const std::filesystem::path& path,
                    const RememberedMovie& movie);

}  // namespace storyreel
