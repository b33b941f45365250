#include "stages/movie_freshness.h"

#include <vector>

#include "pipeline/content_hash.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// Hashes the unit's mixed samples (a few MB per minute: cheaper than trusting that the
/// audio inputs and the mixer's every parameter were all captured in a fingerprint).
void add_audio(ContentHasher& hasher, const CutAudio& audio, const OutputUnit& unit) {
    constexpr int kChunk = 48000;
    std::vector<float> samples(2 * kChunk);
    for (std::int64_t done = 0; done < unit.sample_count; done += kChunk) {
        const int count = static_cast<int>(std::min<std::int64_t>(kChunk, unit.sample_count - done));
        audio.read(unit.cut_start_sample + done, count, samples.data());
        hasher.add(std::string_view(reinterpret_cast<const char*>(samples.data()),
                                    sizeof(float) * 2 * count));
    }
}

long long modification_time(const fs::path& path) {
    return static_cast<long long>(fs::last_write_time(path).time_since_epoch().count());
}

}  // namespace

std::string movie_assembly_key(const std::string& settings, const OutputUnit& unit,
                               const MovieMetadata& metadata,
                               const std::vector<std::string>& shot_keys,
                               const AudioValue& audio) {
    ContentHasher hasher;
    hasher.add("movie v1").add(settings).add(unit.name).add(unit.frame_count);
    hasher.add(metadata.timecode).add(metadata.reel).add(metadata.title);
    for (const auto& key : shot_keys) hasher.add(key);
    if (audio) {
        hasher.add("audio").add(unit.sample_count);
        add_audio(hasher, *audio, unit);
    }
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
