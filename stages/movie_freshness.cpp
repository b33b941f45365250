#include "stages/movie_freshness.h"

#include "pipeline/content_hash.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

long long modification_time(const fs::path& path) {
    return static_cast<long long>(fs::last_write_time(path).time_since_epoch().count());
}

}  // namespace

std::string movie_assembly_key(const std::string& settings, const OutputUnit& unit,
                               const MovieMetadata& metadata,
                               const std::vector<std::string>& shot_keys,
                               const std::string& audio_key) {
    ContentHasher hasher;
    hasher.add("movie v1").add(settings).add(unit.name).add(unit.frame_count);
    hasher.add(metadata.timecode).add(metadata.reel).add(metadata.title);
    for (const auto& key : shot_keys) hasher.add(key);
    if (!audio_key.empty()) hasher.add("audio").add(audio_key);
    return hasher.digest();
}

std::optional<ExistingMovie> find_up_to_date_movie(const BuildLog& log, const std::string& stage,
                                                   const std::string& unit, const std::string& key,
                                                   const fs::path& path) {
    try {
        const auto record = log.last_output(stage, unit);
        if (!record || record->value("key", "") != key) return std::nullopt;
        if (record->value("path", "") != path.string()) return std::nullopt;
        std::error_code error;
        const auto size = fs::file_size(path, error);
        if (error || size != record->value("size_bytes", std::uint64_t{0})) return std::nullopt;
        if (modification_time(path) != record->value("mtime", 0LL)) return std::nullopt;
        return ExistingMovie{size, record->value("checksum", "")};
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void remember_movie(BuildLog& log, const std::string& stage, const std::string& unit,
                    const std::string& key, const fs::path& path, const std::string& checksum) {
    try {
        log.record_output(stage, unit,
                          {{"key", key},
                           {"path", path.string()},
                           {"size_bytes", fs::file_size(path)},
                           {"mtime", modification_time(path)},
                           {"checksum", checksum}});
    } catch (const std::exception&) {
        // Without the record the next build re-assembles the movie; nothing is lost.
    }
}

}  // namespace storyreel
