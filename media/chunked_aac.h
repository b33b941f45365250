#pragma once
// AAC encoded in chunks on several threads (oneTBB), joined into one stream that decodes
// continuous and sample-exact, like one encoder's.
//
// An AAC packet carries one MDCT frame: 1024 new samples under a window of 2048, so the
// samples a packet decodes to are the overlap-add of its frame and the one before.
// FFmpeg's encoder primes the stream with one frame (initial_padding 1024): the packet
// with pts p decodes to samples [p, p + 1024), the first packet (pts -1024) being the
// priming that the MP4 edit list hides. So the chunk [begin, end) of a track (multiples
// of 1024) is the packets with pts in [begin, end), and they join their neighbours
// cleanly only if their encoder
// - started a few frames before `begin` (`lead_frames`): the first kept packet's overlap
//   partner was then encoded by the previous chunk from the same samples, and the
//   encoder's window decisions (long, start, short, stop: one frame of look-back and one
//   of look-ahead), its low-pass filter and its rate control have settled on what one
//   encoder running from sample 0 decides there; the window sequences on either side of
//   a join then match and the MDCT aliasing cancels;
// - went on a frame or two past `end` (`tail_frames`): the last kept packet's window
//   reaches one frame past `end`, and its shape depends on the frame after that.
// The packets of the warm-up, of the tail and each chunk encoder's own priming packet are
// dropped. The first chunk starts at sample 0 with the stream's priming, exactly as one
// encoder would; the last ends at the track's end with its encoder's flush (the short
// last packet). Every kept packet has the timestamp and duration one encoder gives it, so
// the muxer writes the same edit list and the track decodes to the same sample count.
//
// What still differs from one encoder: rate control (lambda) and the psychoacoustic bit
// budget restart at each chunk, so the quantisation of the frames just after a join
// differs slightly (a difference at the level of the coding noise; bench/RESULTS.md has
// the figures, tests/unit/media/chunked_aac_test.cpp the bound). Chunk sizes are fixed,
// not derived from the thread count: the bytes are the same on every machine.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "media/audio_encoder.h"

namespace storyreel {

/// How a track is cut into chunks, in AAC frames of 1024 samples.
struct AacChunking {
    std::int64_t chunk_frames = 1440;  ///< 30.72 s at 48 kHz: warm-up + tail = 2.4 % more frames
    int lead_frames = 32;              ///< encoded before a chunk, then dropped
    int tail_frames = 2;               ///< encoded after a chunk, then dropped
};

/// One chunk: its encoder is fed samples [feed_begin, feed_end) of the track, and the
/// packets kept are those that decode to [keep_begin, keep_end) (plus the stream's
/// priming packet for the first chunk).
struct AacChunk {
    std::int64_t keep_begin = 0;
    std::int64_t keep_end = 0;
    std::int64_t feed_begin = 0;
    std::int64_t feed_end = 0;
    bool first = false;
    bool last = false;

    /// Whether the packet with presentation time `pts` (samples) belongs to this chunk.
    bool keeps(std::int64_t pts) const {
        return (first || pts >= keep_begin) && (last || pts < keep_end);
    }
    /// How many packets the chunk must keep (one encoder's count for the same samples).
    std::int64_t expected_packets() const;
};

/// The chunks of a track of `total_samples`; one chunk (one encoder, as before) when the
/// track is no longer than a chunk.
std::vector<AacChunk> plan_aac_chunks(std::int64_t total_samples, const AacChunking& chunking);

/// Copies `count` interleaved stereo sample frames of the track from sample `start`.
/// Called from several threads at once.
using TrackSampleReader = std::function<void(std::int64_t start, int count, float* interleaved)>;

class ChunkedAacEncoder {
  public:
    /// `file` names the track in messages.
    ChunkedAacEncoder(bool global_header, std::string file, AacChunking chunking = {});

    /// The encoder settings the stream header is written from (every chunk's are equal).
    const AVCodecContext* context() const { return header_.context(); }

    /// Encodes track samples [0, total) and hands every packet of the stream, in order,
    /// to `on_packet` (timestamps in 1/48000 s; one call at a time, from any thread).
    /// `stopped` is asked between frames; when it says yes the encode throws BuildError.
    void encode(std::int64_t total, const TrackSampleReader& read,
                const std::function<void(AVPacket*)>& on_packet,
                const std::function<bool()>& stopped = {});

  private:
    std::vector<av::PacketPtr> encode_chunk(const AacChunk& chunk, const TrackSampleReader& read,
                                            const std::function<bool()>& stopped) const;

    bool global_header_;
    std::string file_;
    AacChunking chunking_;
    AudioEncoder header_;
};

}  // namespace storyreel
