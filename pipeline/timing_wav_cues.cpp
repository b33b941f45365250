// The cue points of a WAV file ("cue " chunk) and their names (LIST/adtl "labl" chunks),
// as written by Audacity, Reaper, Sound Forge, Pro Tools' broadcast WAVs and others.

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "pipeline/timing_markers.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

std::uint32_t le32(const std::string& bytes, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

struct WavCues {
    std::uint32_t sample_rate = 0;
    std::map<std::uint32_t, std::uint32_t> positions;  ///< cue id -> sample offset
    std::map<std::uint32_t, std::string> labels;       ///< cue id -> text
};

void read_adtl(const std::string& bytes, std::size_t at, std::size_t end, WavCues& cues) {
    while (at + 8 <= end) {
        const std::string id = bytes.substr(at, 4);
        const std::uint32_t size = le32(bytes, at + 4);
        if (at + 8 + size > end) break;
        if ((id == "labl" || id == "note") && size >= 4) {
            std::string text = bytes.substr(at + 12, size - 4);
            text = text.substr(0, std::strlen(text.c_str()));
            if (id == "labl" || !cues.labels.count(le32(bytes, at + 8)))
                cues.labels[le32(bytes, at + 8)] = text;
        }
        at += 8 + size + (size & 1);
    }
}

/// Walks the RIFF chunks; false when the file is not a RIFF/WAVE file.
bool read_chunks(const std::string& bytes, WavCues& cues) {
    if (bytes.size() < 12 || bytes.compare(0, 4, "RIFF") != 0 || bytes.compare(8, 4, "WAVE") != 0)
        return false;
    std::size_t at = 12;
    while (at + 8 <= bytes.size()) {
        const std::string id = bytes.substr(at, 4);
        const std::uint32_t size = le32(bytes, at + 4);
        const std::size_t data = at + 8;
        // A chunk may say it is longer than what is left of the file: read only what is there.
        const std::size_t end = std::min<std::size_t>(bytes.size(), data + size);
        const std::size_t present = end - data;
        if (id == "fmt " && present >= 8) cues.sample_rate = le32(bytes, data + 4);
        if (id == "cue " && present >= 4) {
            const std::uint32_t count = le32(bytes, data);
            for (std::uint32_t i = 0; i < count && data + 4 + 24 * (i + 1) <= end; ++i) {
                const std::size_t point = data + 4 + 24 * i;
                cues.positions[le32(bytes, point)] = le32(bytes, point + 20);
            }
        }
        if (id == "LIST" && present >= 4 && bytes.compare(data, 4, "adtl") == 0)
            read_adtl(bytes, data + 4, end, cues);
        at = data + size + (size & 1);
    }
    return true;
}

}  // namespace

void read_wav_cues(const fs::path& file, const std::string& subject, Diagnostics& diagnostics,
                   std::vector<TimingMarker>& markers) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    WavCues cues;
    if (!read_chunks(bytes, cues) || cues.sample_rate == 0) {
        diagnostics.add({file.string(), 0, 0}, subject, "not a readable WAV file",
                        "give a RIFF/WAVE file with cue points, or an Audacity label file");
        return;
    }
    if (cues.positions.empty())
        diagnostics.add(
            {file.string(), 0, 0}, subject, "the WAV file has no cue points",
            "add markers in your editor (named after the panels) and save them in the WAV");
    for (const auto& [id, sample] : cues.positions) {
        const double seconds = static_cast<double>(sample) / cues.sample_rate;
        markers.push_back({cues.labels.count(id) ? cues.labels[id] : std::string(),
                           seconds,
                           seconds,
                           {file.string(), 0, 0}});
    }
}

}  // namespace storyreel
