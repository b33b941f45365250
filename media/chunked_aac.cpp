#include "media/chunked_aac.h"

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <stdexcept>

#include "pipeline/diagnostics.h"

namespace storyreel {

namespace {

constexpr std::int64_t kAacFrame = 1024;  ///< samples per AAC frame, and its priming

/// A chunk's kept packets on their way to the writer (move-only).
struct ChunkPackets {
    std::vector<av::PacketPtr> packets;
};

/// The joins rely on 1024-sample frames primed with one frame (FFmpeg's native encoder).
void check_framing(const AVCodecContext* encoder, const std::string& file) {
    if (encoder->frame_size == kAacFrame && encoder->initial_padding == kAacFrame) return;
    Diagnostic unexpected;
    unexpected.where.file = file;
    unexpected.message = "this FFmpeg's AAC encoder codes " + std::to_string(encoder->frame_size) +
                         "-sample frames primed with " + std::to_string(encoder->initial_padding) +
                         " samples; the chunked encode expects 1024 and 1024";
    unexpected.hint = "build storyreel against FFmpeg's native aac encoder (5.x, 6.x)";
    throw BuildError(std::move(unexpected));
}

[[noreturn]] void throw_cancelled(const std::string& file) {
    Diagnostic cancelled;
    cancelled.where.file = file;
    cancelled.message = "audio encode cancelled";
    throw BuildError(std::move(cancelled));
}

/// The kept packets must be exactly those one encoder writes for the chunk's samples: one
/// per frame from the chunk's first sample (the priming's for the first chunk), none
/// missing. Anything else is a bug here, or an encoder that primes differently.
void check_joins(const AacChunk& chunk, const std::vector<av::PacketPtr>& kept,
                 const std::string& file) {
    const std::int64_t first_pts = chunk.first ? -kAacFrame : chunk.keep_begin;
    bool contiguous = static_cast<std::int64_t>(kept.size()) == chunk.expected_packets();
    for (std::size_t i = 0; contiguous && i < kept.size(); ++i)
        contiguous = kept[i]->pts == first_pts + static_cast<std::int64_t>(i) * kAacFrame;
    if (!contiguous)
        throw std::logic_error(file + ": the AAC chunk at sample " +
                               std::to_string(chunk.keep_begin) + " kept " +
                               std::to_string(kept.size()) + " packets, not " +
                               std::to_string(chunk.expected_packets()) + " in a row from " +
                               std::to_string(first_pts));
}

}  // namespace

std::int64_t AacChunk::expected_packets() const {
    if (keep_end <= keep_begin) return 0;
    const std::int64_t frames = (keep_end - keep_begin + kAacFrame - 1) / kAacFrame;
    return frames + (first ? 1 : 0);
}

std::vector<AacChunk> plan_aac_chunks(std::int64_t total_samples, const AacChunking& chunking) {
    const std::int64_t size = std::max<std::int64_t>(1, chunking.chunk_frames) * kAacFrame;
    std::vector<AacChunk> chunks;
    for (std::int64_t begin = 0; begin == 0 || begin < total_samples; begin += size) {
        AacChunk chunk;
        chunk.keep_begin = begin;
        chunk.keep_end = std::min(begin + size, total_samples);
        chunk.feed_begin = std::max<std::int64_t>(0, begin - chunking.lead_frames * kAacFrame);
        chunk.feed_end = std::min(chunk.keep_end + chunking.tail_frames * kAacFrame, total_samples);
        chunk.first = begin == 0;
        chunk.last = chunk.keep_end >= total_samples;
        chunks.push_back(chunk);
    }
    return chunks;
}

ChunkedAacEncoder::ChunkedAacEncoder(bool global_header, std::string file, AacChunking chunking)
    : global_header_(global_header),
      file_(std::move(file)),
      chunking_(chunking),
      header_("aac", global_header_, file_) {
    check_framing(header_.context(), file_);
}

void ChunkedAacEncoder::encode(std::int64_t total, const TrackSampleReader& read,
                               const std::function<void(AVPacket*)>& on_packet,
                               const std::function<bool()>& stopped) {
    const std::vector<AacChunk> chunks = plan_aac_chunks(total, chunking_);
    std::size_t next = 0;
    // Chunks in flight: each holds ~1 MB of packets; the order of the output is fixed.
    const auto tokens = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency()) + 1;
    tbb::parallel_pipeline(
        tokens, tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                    [&](tbb::flow_control& control) -> std::size_t {
                                                        if (next == chunks.size()) control.stop();
                                                        return next++;
                                                    }) &
                    tbb::make_filter<std::size_t, ChunkPackets>(
                        tbb::filter_mode::parallel,
                        [&](std::size_t index) {
                            return ChunkPackets{encode_chunk(chunks[index], read, stopped)};
                        }) &
                    tbb::make_filter<ChunkPackets, void>(tbb::filter_mode::serial_in_order,
                                                         [&](ChunkPackets chunk) {
                                                             for (auto& packet : chunk.packets)
                                                                 on_packet(packet.get());
                                                         }));
}

/// One chunk's encoder, fed its warm-up, its samples and its tail; returns the packets
/// that decode to the chunk's samples.
std::vector<av::PacketPtr> ChunkedAacEncoder::encode_chunk(
    const AacChunk& chunk, const TrackSampleReader& read,
    const std::function<bool()>& stopped) const {
    AudioEncoder encoder("aac", global_header_, file_);
    std::vector<av::PacketPtr> kept;
    const auto keep = [&](AVPacket* packet) {
        if (!chunk.keeps(packet->pts)) return;
        kept.push_back(av::make_packet());
        av_packet_move_ref(kept.back().get(), packet);
    };
    std::vector<float> buffer(static_cast<std::size_t>(kAacFrame) * 2);
    for (std::int64_t at = chunk.feed_begin; at < chunk.feed_end; at += kAacFrame) {
        if (stopped && stopped()) throw_cancelled(file_);
        const int count = static_cast<int>(std::min(kAacFrame, chunk.feed_end - at));
        read(at, count, buffer.data());
        encoder.encode(buffer.data(), count, at, keep);
    }
    encoder.flush(keep);
    check_joins(chunk, kept, file_);
    return kept;
}

}  // namespace storyreel
