#include <fstream>
#include <sstream>

#include "editorial/editorial_cut.h"
#include "pipeline/timecode.h"

namespace storyreel {

namespace {

std::vector<std::string> split_words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\r' || text.back() == '\t'))
        text.pop_back();
    const auto first = text.find_first_not_of(" \t");
    return first == std::string::npos ? "" : text.substr(first);
}

/// True for a channel field that carries picture: V, B (both), V/A forms.
bool is_picture(const std::string& channel) {
    return channel == "B" || channel.find('V') != std::string::npos;
}

class EdlReader {
public:
    EdlReader(const std::filesystem::path& file, FrameRate rate, Diagnostics& diagnostics)
        : file_(file), rate_(rate), diagnostics_(diagnostics) {}

    std::optional<EditorialCut> read() {
        std::ifstream in(file_);
        if (!in) {
            diagnostics_.add({file_.string(), 0, 0}, "cut", "cannot be read",
                             "check the path given to 'cut:'");
            return std::nullopt;
        }
        EditorialCut cut;
        cut.file = file_;
        int line_number = 0;
        CutEvent* last = nullptr;
        for (std::string line; std::getline(in, line);) {
            ++line_number;
            line = trim(line);
            if (line.rfind("FCM:", 0) == 0) {
                drop_frame_ = line.find("NON-DROP") == std::string::npos &&
                              line.find("DROP") != std::string::npos;
            } else if (line.rfind("*", 0) == 0) {
                if (last) read_comment(line, *last);
            } else if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) {
                last = read_event(line, line_number, cut);
            }
        }
        return cut;
    }

private:
    void read_comment(const std::string& line, CutEvent& event) {
        for (const char* key : {"FROM CLIP NAME:", "FROM FILE:"}) {
            const auto at = line.find(key);
            if (at == std::string::npos) continue;
            const std::string name = trim(line.substr(at + std::string(key).size()));
            if (name.empty()) return;
            // The clip name comes first, before the reel.
            const auto position = std::string(key) == "FROM CLIP NAME:" ? event.names.begin()
                                                                       : event.names.end();
            event.names.insert(position, name);
            return;
        }
    }

    std::optional<std::int64_t> timecode(const std::string& text, int line, int column) {
        std::string written = text;
        if (drop_frame_ && Timecode::supports_drop_frame(rate_) && written.size() > 3)
            written[written.size() - 3] = ';';
        if (auto parsed = Timecode::parse(written, rate_)) return parsed->frames();
        diagnostics_.add({file_.string(), line, column}, "cut",
                         "'" + text + "' is not a timecode at " + rate_.to_string() + " fps",
                         "the EDL must be at the show's frame rate");
        return std::nullopt;
    }

    /// Returns the event added (null for audio-only, zero-length or malformed lines).
    CutEvent* read_event(const std::string& line, int line_number, EditorialCut& cut) {
        const auto words = split_words(line);
        if (words.size() < 8) {
            diagnostics_.add({file_.string(), line_number, 1}, "cut",
                             "malformed CMX3600 event line: '" + line + "'",
                             "events read: NUMBER REEL CHANNEL TRANSITION [DURATION] SRC-IN "
                             "SRC-OUT REC-IN REC-OUT");
            return nullptr;
        }
        if (!is_picture(words[2])) return nullptr;
        const std::size_t n = words.size();
        const auto in = timecode(words[n - 2], line_number, static_cast<int>(line.find(words[n - 2])) + 1);
        const auto out = timecode(words[n - 1], line_number, static_cast<int>(line.rfind(words[n - 1])) + 1);
        if (!in || !out) return nullptr;
        if (*out < *in) {
            diagnostics_.add({file_.string(), line_number, 1}, "cut event " + words[0],
                             "record out is before record in");
            return nullptr;
        }
        if (*out == *in) return nullptr;  // the outgoing half of a dissolve pair
        CutEvent event;
        event.names.push_back(words[1]);  // the reel, as the last resort
        event.record_in = *in;
        event.record_out = *out;
        event.label = "event " + words[0];
        event.where = {file_.string(), line_number, 1};
        cut.events.push_back(std::move(event));
        return &cut.events.back();
    }

    std::filesystem::path file_;
    FrameRate rate_;
    Diagnostics& diagnostics_;
    bool drop_frame_ = false;
};

}  // namespace

std::optional<EditorialCut> read_cmx3600_edl(const std::filesystem::path& file, FrameRate rate,
                                             Diagnostics& diagnostics) {
    return EdlReader(file, rate, diagnostics).read();
}

std::optional<EditorialCut> read_editorial_cut(const std::filesystem::path& file, FrameRate rate,
                                               Diagnostics& diagnostics) {
    std::string extension = file.extension().string();
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (extension == ".edl") return read_cmx3600_edl(file, rate, diagnostics);
    if (extension == ".otio") return read_otio(file, rate, diagnostics);
    diagnostics.add({file.string(), 0, 0}, "cut", "unknown cut list format '" + extension + "'",
                    "give a CMX3600 .edl or an OpenTimelineIO .otio file");
    return std::nullopt;
}

}  // namespace storyreel
