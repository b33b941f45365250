// The chunked AAC encode (media/chunked_aac.h): a track encoded in chunks on several threads
// must decode, with the ffmpeg command line, to as many samples as the same track encoded
// by one encoder, identical up to the first join, and after it within the tolerance below;
// the stream must decode without a message, and its bytes must not depend on the threads.
//
// The tolerance, per 1024-sample frame louder than -60 dBFS: the difference between the
// chunked and the one-encoder decode at least 15 dB below the frame (energy ratio, both
// channels). Two AAC encodes of the same samples differ by their coding noise: the rate
// control of a chunk's encoder starts afresh, so after a join the two quantise differently
// (the worst frame: 24 dB on this signal, 18.6 dB on 5 minutes of speech, music and
// clicks in bench/RESULTS.md). A broken join, where the
// MDCT aliasing of the frames either side does not cancel (no warm-up, no tail, or a
// window sequence that does not match), puts an error near the signal's own size in the
// frame at the join: 2-12 dB below it, which the last test shows the check catching. And over the
// whole track the chunked encode must be as close to the source as one encoder's, within
// 0.5 dB of signal-to-noise ratio.

#include "media/chunked_aac.h"

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "media/movie_writer.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
// Short chunks, so that a 20 s signal has 7 joins; the warm-up and tail are the shipped ones.
constexpr AacChunking kTestChunking{128, AacChunking{}.lead_frames, AacChunking{}.tail_frames};
constexpr std::int64_t kJoin = 128 * 1024;

/// 20 s of stereo "music" in interleaved float: two voices of harmonic notes with sharp
/// attacks (the encoder switches to short windows on them), vibrato, a noise floor, and
/// clicks on a join, just before one and just after one (short windows across a join).
std::vector<float> music(std::int64_t samples) {
    std::vector<float> out(static_cast<std::size_t>(samples) * 2);
    const double scale[] = {220.0, 246.9, 277.2, 293.7, 329.6, 370.0, 415.3, 440.0};
    std::uint32_t noise = 12345;
    const std::int64_t clicks[] = {kJoin, 3 * kJoin - 300, 5 * kJoin + 200};
    for (std::int64_t i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / kRate;
        double voice[2] = {0, 0};
        for (int v = 0; v < 2; ++v) {
            const double note_length = v == 0 ? 0.5 : 0.75;
            const int note = static_cast<int>(t / note_length) * (v + 3) % 8;
            const double since = std::fmod(t, note_length);
            const double envelope =
                std::min(1.0, since / 0.004) * (0.6 + 0.4 * std::exp(-6.0 * since));
            const double f = scale[note] * (v + 1) * (1.0 + 0.004 * std::sin(2 * M_PI * 5 * t));
            for (int h = 1; h <= 5; ++h) voice[v] += std::sin(2 * M_PI * f * h * t) / (h * h);
            voice[v] *= 0.25 * envelope;
        }
        noise = noise * 1664525u + 1013904223u;
        const double hiss = (static_cast<double>(noise >> 8) / (1 << 24) - 0.5) * 0.01;
        double click = 0;
        for (const std::int64_t at : clicks)
            if (i >= at && i < at + 96) click = 0.6 * std::sin(2 * M_PI * 3000 * (i - at) / kRate);
        out[2 * i] = static_cast<float>(0.8 * voice[0] + 0.3 * voice[1] + hiss + click);
        out[2 * i + 1] = static_cast<float>(0.3 * voice[0] + 0.8 * voice[1] - hiss + click);
    }
    return out;
}

/// Encodes `source` into an MP4 at `file` on `threads` threads; returns the file.
fs::path encode(const std::vector<float>& source, const AacChunking& chunking, int threads,
                const fs::path& file) {
    const auto total = static_cast<std::int64_t>(source.size() / 2);
    MovieWriter writer(file);
    ChunkedAacEncoder encoder(writer.needs_global_header(), file.string(), chunking);
    const int stream = writer.add_stream(encoder.context(), nullptr);
    writer.start(MovieMetadata{}, false);
    tbb::task_arena arena(threads);
    arena.execute([&] {
        encoder.encode(
            total,
            [&](std::int64_t start, int count, float* interleaved) {
                std::memcpy(interleaved, source.data() + 2 * start,
                            sizeof(float) * 2 * static_cast<std::size_t>(count));
            },
            [&](AVPacket* packet) {
                writer.write(packet, stream, AVRational{1, kRate});
            });
    });
    writer.finish();
    return file;
}

/// The stereo samples the ffmpeg command line decodes from `movie` (edit list applied).
std::vector<float> ffmpeg_decode(const fs::path& movie) {
    const fs::path raw = movie.string() + ".f32";
    const std::string said = testing::shell_output("ffmpeg -v error -y -i '" + movie.string() +
                                                   "' -f f32le '" + raw.string() + "'");
    EXPECT_EQ(said, "") << movie;
    const std::string bytes = testing::read_file(raw);
    std::vector<float> samples(bytes.size() / sizeof(float));
    std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
    return samples;
}

double energy(const std::vector<float>& a, const std::vector<float>* b, std::size_t from,
              std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) {
        const double d = a[i] - (b ? (*b)[i] : 0.f);
        sum += d * d;
    }
    return sum;
}

/// The lowest ratio, in dB, of a frame's energy (in `source`) to the energy of
/// `a` - `b` in it, over the 1024-sample frames louder than -60 dBFS.
double worst_frame_db(const std::vector<float>& source, const std::vector<float>& a,
                      const std::vector<float>& b) {
    double worst = 1e9;
    for (std::size_t at = 0; at + 2048 <= std::min(a.size(), source.size()); at += 2048) {
        const double signal = energy(source, nullptr, at, at + 2048);
        if (signal / 2048 < 1e-6) continue;
        const double difference = energy(a, &b, at, at + 2048) + 1e-20;
        worst = std::min(worst, 10 * std::log10(signal / difference));
    }
    return worst;
}

double snr_db(const std::vector<float>& source, const std::vector<float>& decoded) {
    const std::size_t n = std::min(source.size(), decoded.size());
    return 10 * std::log10(energy(source, nullptr, 0, n) / energy(decoded, &source, 0, n));
}

std::string probe(const fs::path& movie) {
    return testing::shell_output(
        "ffprobe -v error -count_packets -select_streams a:0 -show_entries "
        "stream=duration_ts,nb_read_packets -of csv=p=0 '" +
        movie.string() + "'");
}

TEST(ChunkedAac, GivenATrackThePlanCoversItOnceInWholeFramesWithWarmUpAndTail) {
    const AacChunking chunking;
    const std::int64_t chunk = chunking.chunk_frames * 1024;
    const std::int64_t total = 3 * chunk + 777;
    const auto chunks = plan_aac_chunks(total, chunking);
    ASSERT_EQ(chunks.size(), 4u);
    std::int64_t next = 0;
    for (const auto& c : chunks) {
        EXPECT_EQ(c.keep_begin, next);
        EXPECT_EQ(c.keep_begin % 1024, 0);
        EXPECT_EQ(c.feed_begin, std::max<std::int64_t>(0, c.keep_begin - 32 * 1024));
        EXPECT_EQ(c.feed_end, std::min(c.keep_end + 2 * 1024, total));
        next = c.keep_end;
    }
    EXPECT_EQ(next, total);
    EXPECT_TRUE(chunks.front().first && chunks.front().keeps(-1024)) << "the stream's priming";
    EXPECT_FALSE(chunks[1].keeps(chunk - 1024)) << "a warm-up packet";
    EXPECT_FALSE(chunks[1].keeps(2 * chunk)) << "a tail packet";
    EXPECT_EQ(chunks.back().expected_packets(), 1) << "777 samples: one short packet";

    // A track no longer than a chunk is one encoder's, fed exactly the track, as before.
    const auto one = plan_aac_chunks(chunk, chunking);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_TRUE(one[0].first && one[0].last);
    EXPECT_EQ(one[0].feed_begin, 0);
    EXPECT_EQ(one[0].feed_end, chunk);
    EXPECT_EQ(one[0].expected_packets(), chunking.chunk_frames + 1);
}

TEST(ChunkedAac, GivenMusicTheChunkedTrackDecodesLikeOneEncoderWithinTheTolerance) {
    testing::TempDir dir;
    const std::int64_t total = 20 * kRate + 333;  // a short last packet too
    const auto source = music(total);
    const AacChunking one_encoder{1 << 20, 0, 0};
    const auto single = ffmpeg_decode(encode(source, one_encoder, 1, dir.path() / "one.mp4"));
    const auto chunked =
        ffmpeg_decode(encode(source, kTestChunking, 2, dir.path() / "chunked.mp4"));

    EXPECT_EQ(probe(dir.path() / "chunked.mp4"), probe(dir.path() / "one.mp4"))
        << "duration in samples and packet count";
    const std::string probed = probe(dir.path() / "chunked.mp4");
    EXPECT_EQ(probed.substr(probed.find(',') + 1), std::to_string((total + 1023) / 1024 + 1) + "\n")
        << "one packet a frame, and the priming's";
    ASSERT_EQ(chunked.size(), single.size()) << "decoded sample count";
    ASSERT_GE(single.size(), static_cast<std::size_t>(2 * total));
    EXPECT_EQ(std::memcmp(chunked.data(), single.data(), sizeof(float) * 2 * kJoin), 0)
        << "the first chunk is one encoder's";
    const double worst = worst_frame_db(source, chunked, single);
    EXPECT_GE(worst, 15.0) << "a frame of the chunked track differs from one encoder's by more "
                              "than the coding noise: a join is broken";
    EXPECT_GE(snr_db(source, chunked), snr_db(source, single) - 0.5);
    std::printf("chunked vs one encoder: worst frame %.1f dB; SNR vs source %.2f / %.2f dB\n",
                worst, snr_db(source, chunked), snr_db(source, single));
}

TEST(ChunkedAac, TheBytesDoNotDependOnTheThreadCount) {
    testing::TempDir dir;
    const auto source = music(8 * kRate);
    const auto one = encode(source, kTestChunking, 1, dir.path() / "one.mp4");
    const auto two = encode(source, kTestChunking, 2, dir.path() / "two.mp4");
    const std::string bytes = testing::read_file(one);
    EXPECT_GT(bytes.size(), 100000u);
    EXPECT_TRUE(bytes == testing::read_file(two));
}

TEST(ChunkedAac, WithoutWarmUpTheJoinsBreakAndTheToleranceCatchesIt) {
    testing::TempDir dir;
    const auto source = music(8 * kRate);
    const AacChunking one_encoder{1 << 20, 0, 0};
    const AacChunking no_warm_up{kTestChunking.chunk_frames, 0, kTestChunking.tail_frames};
    const auto single = ffmpeg_decode(encode(source, one_encoder, 1, dir.path() / "one.mp4"));
    const auto broken = ffmpeg_decode(encode(source, no_warm_up, 2, dir.path() / "broken.mp4"));
    ASSERT_EQ(broken.size(), single.size()) << "still the same samples, badly joined";
    EXPECT_LT(worst_frame_db(source, broken, single), 15.0);
}

}  // namespace
}  // namespace storyreel
