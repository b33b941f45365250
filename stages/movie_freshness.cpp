#include "stages/movie_freshness.h"

#include <functional>

#include "pipeline/content_hash.h"
#include "pipeline/json_number.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// The parts of both keys that are not the shots.
std::string movie_key(std::string_view kind, const std::string& settings, const OutputUnit& unit,
                      const MovieMetadata& metadata,
                      const std::function<void(ContentHasher&)>& add_shots,
                      const std::string& audio_key) {
    ContentHasher hasher;
    hasher.add(kind).add(settings).add(unit.name).add(unit.frame_count);
    hasher.add(metadata.timecode).add(metadata.reel).add(metadata.title);
    add_shots(hasher);
    if (!audio_key.empty()) hasher.add("audio").add(audio_key);
    return hasher.digest();
}

}  // namespace

long long modification_time(const fs::path& path) {
    return static_cast<long long>(fs::last_write_time(path).time_since_epoch().count());
}

std::string movie_assembly_key(const std::string& settings, const OutputUnit& unit,
                               const MovieMetadata& metadata,
                               const std::vector<std::string>& shot_keys,
                               const std::string& audio_key) {
    return movie_key(
        "movie v1", settings, unit, metadata,
        [&](ContentHasher& hasher) {
            for (const auto& key : shot_keys) hasher.add(key);
        },
        audio_key);
}

std::string movie_layout_key(const std::string& settings, const OutputUnit& unit,
                             const MovieMetadata& metadata,
                             const std::vector<std::int64_t>& shot_frames,
                             const std::string& audio_key) {
    return movie_key(
        "movie layout v1", settings, unit, metadata,
        [&](ContentHasher& hasher) {
            for (const auto frames : shot_frames) hasher.add(frames);
        },
        audio_key);
}

std::optional<nlohmann::json> untouched_movie_record(const BuildLog& log, const std::string& stage,
                                                     const fs::path& path) {
    try {
        auto record = log.last_output(stage, path);
        if (!record || record->value("path", "") != path.string()) return std::nullopt;
        std::error_code error;
        const auto size = fs::file_size(path, error);
        if (error || size != record->value("size_bytes", std::uint64_t{0})) return std::nullopt;
        if (modification_time(path) != json_integer_or(*record, "mtime", 0,
                                                       std::numeric_limits<std::int64_t>::min(),
                                                       std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return record;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<ExistingMovie> find_up_to_date_movie(const BuildLog& log, const std::string& stage,
                                                   const std::string& key, const fs::path& path) {
    const auto record = untouched_movie_record(log, stage, path);
    if (!record || record->value("key", "") != key) return std::nullopt;
    return ExistingMovie{record->value("size_bytes", std::uint64_t{0}),
                         record->value("checksum", "")};
}

void remember_movie(BuildLog& log, const std::string& stage, const fs::path& path,
                    const RememberedMovie& movie) {
    try {
        nlohmann::json record = {{"key", movie.key},
                                 {"path", path.string()},
                                 {"size_bytes", fs::file_size(path)},
                                 {"mtime", modification_time(path)},
                                 {"checksum", movie.checksum}};
        if (!movie.layout.empty() && !movie.blocks.empty()) {
            record["layout"] = movie.layout;
            record["shot_keys"] = movie.shot_keys;
            record["blocks"] = digests_to_hex(movie.blocks);
            record["dead_bytes"] = movie.dead_bytes;
        }
        log.record_output(stage, path, record);
    } catch (const std::exception&) {
        // Without the record the next build re-assembles the movie; nothing is lost.
    }
}

}  // namespace storyreel
