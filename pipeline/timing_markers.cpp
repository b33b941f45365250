#include "pipeline/timing_markers.h"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "pipeline/checked_number.h"
#include "pipeline/timecode.h"
#include "pipeline/yaml_fields.h"

namespace storyreel {

namespace fs = std::filesystem;

namespace {

/// Seconds of a marker, at most ten days either way (further is no time in a cut, and
/// would overflow once turned into frames).
std::optional<double> parse_seconds(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    return parse_real(std::string_view(text).substr(first), -864'000, 864'000);
}

/// Seconds, or a timecode at `rate` counted from 00:00:00:00.
std::optional<double> parse_time(const std::string& text, FrameRate rate) {
    if (auto seconds = parse_seconds(text)) return seconds;
    if (auto tc = Timecode::parse(text, rate))
        return static_cast<double>(tc->frames()) / rate.as_double();
    return std::nullopt;
}

std::string trimmed(std::string text) {
    const auto first = text.find_first_not_of(" \t\r\n\"");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n\"");
    return text.substr(first, last - first + 1);
}

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(line);
    std::string part;
    while (std::getline(stream, part, separator)) parts.push_back(part);
    return parts;
}

std::string read_whole(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void read_audacity(const fs::path& file, const std::string& subject, Diagnostics& diagnostics,
                   std::vector<TimingMarker>& markers) {
    std::istringstream in(read_whole(file));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // Empty lines and spectral-selection lines ("\tlow\thigh") carry no cut point.
        if (trimmed(line).empty() || line[0] == '\\' || line[0] == '\t') continue;
        const auto parts = split(line, '\t');
        auto start = parts.size() >= 2 ? parse_seconds(parts[0]) : std::nullopt;
        auto end = parts.size() >= 2 ? parse_seconds(parts[1]) : std::nullopt;
        if (!start || !end) {
            diagnostics.add({file.string(), number, 1}, subject,
                            "not an Audacity label line: '" + line + "'",
                            "expected START<tab>END<tab>LABEL in seconds (File > Export > Labels)");
            continue;
        }
        markers.push_back({parts.size() >= 3 ? trimmed(parts[2]) : std::string(),
                           *start,
                           *end,
                           {file.string(), number, 1}});
    }
}

void read_csv(const fs::path& file, FrameRate rate, const std::string& subject,
              Diagnostics& diagnostics, std::vector<TimingMarker>& markers) {
    std::istringstream in(read_whole(file));
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (trimmed(line).empty() || trimmed(line)[0] == '#') continue;
        const auto parts = split(
            line,
            line.find(';') != std::string::npos && line.find(',') == std::string::npos ? ';' : ',');
        auto time = parts.size() == 2 ? parse_time(trimmed(parts[1]), rate) : std::nullopt;
        if (!time) {
            if (number == 1 && parts.size() == 2) continue;  // a header row: panel,time
            diagnostics.add({file.string(), number, 1}, subject,
                            "not a 'panel,time' line: '" + trimmed(line) + "'",
                            "write one PANEL,SECONDS (or PANEL,HH:MM:SS:FF) per line");
            continue;
        }
        markers.push_back({trimmed(parts[0]), *time, *time, {file.string(), number, 1}});
    }
}

void read_yaml(const fs::path& file, FrameRate rate, const std::string& subject,
               Diagnostics& diagnostics, std::vector<TimingMarker>& markers) {
    auto root = load_yaml_file(file.string(), diagnostics);
    if (!root) return;
    if (!root->IsMap()) {
        diagnostics.add(location_of(*root, file.string()), subject,
                        "expected a mapping of panel: time", "for example  p003: 4.25");
        return;
    }
    for (const auto& entry : *root) {
        const SourceLocation where = location_of(entry.second, file.string());
        auto time =
            entry.second.IsScalar() ? parse_time(entry.second.Scalar(), rate) : std::nullopt;
        if (!time) {
            diagnostics.add(where, subject,
                            "not a time for '" + entry.first.as<std::string>("") + "'",
                            "give seconds (4.25) or a timecode (00:00:04:06)");
            continue;
        }
        markers.push_back({entry.first.as<std::string>(""), *time, *time, where});
    }
}

}  // namespace

void read_wav_cues(const fs::path& file, const std::string& subject, Diagnostics& diagnostics,
                   std::vector<TimingMarker>& markers);

std::vector<TimingMarker> read_markers(const fs::path& file, FrameRate rate,
                                       const std::string& subject, Diagnostics& diagnostics) {
    std::vector<TimingMarker> markers;
    std::string extension = file.extension().string();
    for (auto& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (extension == ".txt")
        read_audacity(file, subject, diagnostics, markers);
    else if (extension == ".wav")
        read_wav_cues(file, subject, diagnostics, markers);
    else if (extension == ".csv")
        read_csv(file, rate, subject, diagnostics, markers);
    else if (extension == ".yaml" || extension == ".yml")
        read_yaml(file, rate, subject, diagnostics, markers);
    else
        diagnostics.add({file.string(), 0, 0}, subject,
                        "unknown marker file type '" + extension + "'",
                        "use .txt (Audacity labels), .wav (cue points), .csv or .yaml");
    return markers;
}

std::string audacity_labels_text(const std::vector<TimingMarker>& markers) {
    std::string text;
    char line[64];
    for (const auto& marker : markers) {
        std::snprintf(line, sizeof line, "%.6f\t%.6f\t", marker.seconds, marker.end_seconds);
        text += line + marker.label + "\n";
    }
    return text;
}

}  // namespace storyreel
