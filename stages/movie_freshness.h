#pragma once
// Is the movie a previous build assembled still exactly what this build would assemble?
//
// A movie is made from its shots' segments (content keys), the cut's audio and the
// container metadata. When none of that changed and the file on disk is the one the
// previous build wrote (same size and modification time, as ninja trusts mtimes), the
// encode stage keeps it instead of copying gigabytes again: after one redraw only the
// sequences that contain it are re-assembled.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/shot_record.h"
#include "stages/movie_writer.h"

namespace storyreel {

/// Everything that determines a movie's bytes, hashed. `audio_key`: the unit's
/// audio_samples_key (stages/audio_track.h), empty for a movie without sound.
std::string movie_assembly_key(const std::string& settings, const OutputUnit& unit,
                               const MovieMetadata& metadata,
                               const std::vector<std::string>& shot_keys,
                               const std::string& audio_key);

/// A movie still on disk as the previous build wrote it.
struct ExistingMovie {
    std::uint64_t size_bytes = 0;
    std::string checksum;
};

/// The movie at `path`, when the log says it was assembled from `key` and the file is
/// untouched since. Never throws: anything missing or odd just means "re-assemble".
std::optional<ExistingMovie> find_up_to_date_movie(const BuildLog& log, const std::string& stage,
                                                   const std::string& unit, const std::string& key,
                                                   const std::filesystem::path& path);

/// Records the movie just committed at `path` (after its rename to the final name).
void remember_movie(BuildLog& log, const std::string& stage, const std::string& unit,
                    const std::string& key, const std::filesystem::path& path,
                    const std::string& checksum);

}  // namespace storyreel
