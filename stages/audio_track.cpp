#include "stages/audio_track.h"

#include <algorithm>
#include <vector>

#include "media/chunked_aac.h"
#include "media/movie_writer.h"
#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"
#include "pipeline/project.h"

namespace storyreel {

std::string audio_samples_key(const CutAudio& audio, const OutputUnit& unit) {
    constexpr int kChunk = 48000;
    ContentHasher hasher;
    hasher.add("audio samples v1").add(unit.sample_count);
    if (!audio.content_key().empty()) {  // the mix's own key: no need to read it all again
        hasher.add(audio.content_key()).add(unit.cut_start_sample);
        return hasher.digest();
    }
    std::vector<float> samples(2 * kChunk);
    for (std::int64_t done = 0; done < unit.sample_count; done += kChunk) {
        const int count =
            static_cast<int>(std::min<std::int64_t>(kChunk, unit.sample_count - done));
        audio.read(unit.cut_start_sample + done, count, samples.data());
        hasher.add(std::string_view(reinterpret_cast<const char*>(samples.data()),
                                    sizeof(float) * 2 * count));
    }
    return hasher.digest();
}

EncodedAudioTrack::EncodedAudioTrack(ArtifactCache& cache, AudioValue audio, const OutputUnit& unit,
                                     std::int64_t silence, const std::string& samples_key,
                                     std::string label)
    : label_(std::move(label)) {
    ContentHasher hasher;
    const AacChunking chunking;  // the chunks make the bytes: they are part of the key
    hasher.add("audio track v2")
        .add("aac")
        .add(chunking.chunk_frames)
        .add(chunking.lead_frames)
        .add(chunking.tail_frames)
        .add(silence)
        .add(samples_key);
    const std::string key = hasher.digest();
    if (auto found = cache.find(key)) {
        found_ = *found;
        reused_ = true;
        return;
    }
    job_ = std::async(
        std::launch::async,
        [this, &cache, key, audio = std::move(audio), silence, first = unit.cut_start_sample,
         count = unit.sample_count] { return encode(cache, key, audio, silence, first, count); });
}

EncodedAudioTrack::~EncodedAudioTrack() {
    cancelled_ = true;
    if (job_.valid()) job_.wait();
}

std::filesystem::path EncodedAudioTrack::path() {
    if (job_.valid()) found_ = job_.get();
    return found_;
}

std::filesystem::path EncodedAudioTrack::encode(ArtifactCache& cache, const std::string& key,
                                                AudioValue audio, std::int64_t silence,
                                                std::int64_t first_sample,
                                                std::int64_t sample_count) {
    PendingEntry entry = cache.begin(key, "audio.mp4");
    try {
        {
            MovieWriter writer(entry.artifact);
            ChunkedAacEncoder encoder(writer.needs_global_header(), label_);
            const int stream = writer.add_stream(encoder.context(), nullptr);
            writer.start(MovieMetadata{}, false);
            // Track sample `at` is silence under the slate, then the unit's mix.
            const auto read = [&](std::int64_t at, int count, float* interleaved) {
                const int silent =
                    static_cast<int>(std::clamp<std::int64_t>(silence - at, 0, count));
                std::fill(interleaved, interleaved + std::size_t(silent) * kAudioChannels, 0.f);
                if (count > silent)
                    audio->read(first_sample + at + silent - silence, count - silent,
                                interleaved + std::size_t(silent) * kAudioChannels);
            };
            encoder.encode(
                silence + sample_count, read,
                [&](AVPacket* packet) {
                    writer.write(packet, stream, AVRational{1, kAudioSampleRate});
                },
                [this] { return cancelled_.load(); });
            writer.finish();
        }
        return cache.publish(entry);
    } catch (...) {
        cache.discard(entry);
        throw;
    }
}

}  // namespace storyreel
