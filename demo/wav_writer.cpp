// RIFF/WAVE writer: a 44-byte header whose sizes are patched in by finish().

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "demo/audio_file_writer.h"

namespace storyreel::demo {

namespace {

constexpr std::uint32_t kHeaderBytes = 44;

void put_le(std::vector<char>& bytes, std::uint64_t value, int byte_count) {
    for (int i = 0; i < byte_count; ++i)
        bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

void put_tag(std::vector<char>& bytes, const char (&tag)[5]) {
    bytes.insert(bytes.end(), tag, tag + 4);
}

std::vector<char> wav_header(int sample_rate, int channels, std::uint32_t data_bytes) {
    const std::uint32_t block_align = static_cast<std::uint32_t>(channels) * 2;
    std::vector<char> header;
    put_tag(header, "RIFF");
    put_le(header, kHeaderBytes - 8 + data_bytes, 4);
    put_tag(header, "WAVE");
    put_tag(header, "fmt ");
    put_le(header, 16, 4);  // fmt chunk size
    put_le(header, 1, 2);   // PCM
    put_le(header, static_cast<std::uint64_t>(channels), 2);
    put_le(header, static_cast<std::uint64_t>(sample_rate), 4);
    put_le(header, static_cast<std::uint64_t>(sample_rate) * block_align, 4);  // byte rate
    put_le(header, block_align, 2);
    put_le(header, 16, 2);  // bits per sample
    put_tag(header, "data");
    put_le(header, data_bytes, 4);
    return header;
}

class WavWriter final : public AudioFileWriter {
  public:
    WavWriter(const std::filesystem::path& file, int sample_rate, int channels)
        : file_(file), sample_rate_(sample_rate), channels_(channels) {
        if (channels < 1 || channels > 8 || sample_rate < 1)
            fail("unsupported layout: " + std::to_string(channels) + " channels at " +
                 std::to_string(sample_rate) + " Hz");
        stream_.open(file, std::ios::binary | std::ios::trunc);
        if (!stream_) fail(std::string("cannot create the file: ") + std::strerror(errno));
        const auto header = wav_header(sample_rate_, channels_, 0);
        stream_.write(header.data(), static_cast<std::streamsize>(header.size()));
        check_stream("writing the header");
    }

    void write(std::span<const std::int16_t> interleaved) override {
        if (interleaved.size() % static_cast<std::size_t>(channels_) != 0)
            fail("a block must hold whole sample frames");
        data_bytes_ += interleaved.size() * 2;
        if (data_bytes_ > std::numeric_limits<std::uint32_t>::max() - kHeaderBytes)
            fail("the track is over 4 GiB, the WAV limit: use audio_format flac");
        buffer_.resize(interleaved.size() * 2);
        for (std::size_t i = 0; i < interleaved.size(); ++i) {
            const auto bits = static_cast<std::uint16_t>(interleaved[i]);
            buffer_[2 * i] = static_cast<char>(bits & 0xFF);
            buffer_[2 * i + 1] = static_cast<char>(bits >> 8);
        }
        stream_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
        check_stream("writing samples");
    }

    void finish() override {
        const auto header =
            wav_header(sample_rate_, channels_, static_cast<std::uint32_t>(data_bytes_));
        stream_.seekp(0);
        stream_.write(header.data(), static_cast<std::streamsize>(header.size()));
        stream_.close();
        check_stream("finishing the header");
    }

  private:
    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error("writing WAV " + file_.string() + ": " + what);
    }
    void check_stream(const char* operation) const {
        if (!stream_) fail(std::string(operation) + " failed: " + std::strerror(errno));
    }

    std::filesystem::path file_;
    int sample_rate_;
    int channels_;
    std::ofstream stream_;
    std::uint64_t data_bytes_ = 0;
    std::vector<char> buffer_;
};

}  // namespace

std::unique_ptr<AudioFileWriter> open_wav_writer(const std::filesystem::path& file, int sample_rate,
                                                 int channels) {
    return std::make_unique<WavWriter>(file, sample_rate, channels);
}

}  // namespace storyreel::demo
