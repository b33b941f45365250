#include <algorithm>
#include <deque>
#include <fstream>
#include <sstream>

#include "editorial/editorial_cut.h"
#include "pipeline/checked_number.h"
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

bool is_black_reel(std::string reel) {
    for (char& c : reel) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return reel == "BL" || reel == "BLK" || reel == "BLACK";
}

/// A picture event line as written, with the names its comments give.
struct RawEvent {
    std::string number, reel;
    bool black = false;
    std::int64_t dissolve = 0;  ///< frames of a dissolve (wipe, key) into this event
    bool from_black = false;    ///< the dissolve starts from black
    std::int64_t record_in = 0, record_out = 0;
    std::string from_name, to_name;  ///< `* FROM CLIP NAME:`, `* TO CLIP NAME:`
    std::string file_name;           ///< `* FROM FILE:`
    SourceLocation where;
};

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
        int line_number = 0;
        RawEvent* last = nullptr;
        for (std::string line; std::getline(in, line);) {
            ++line_number;
            line = trim(line);
            if (line.rfind("FCM:", 0) == 0) {
                drop_frame_ = line.find("NON-DROP") == std::string::npos &&
                              line.find("DROP") != std::string::npos;
            } else if (line.rfind("*", 0) == 0) {
                if (last) read_comment(line, *last);
            } else if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) {
                last = read_event(line, line_number);
            }
        }
        EditorialCut cut;
        cut.file = file_;
        cut.events = panel_events();
        return cut;
    }

  private:
    static void read_comment(const std::string& line, RawEvent& event) {
        for (const char* key : {"FROM CLIP NAME:", "TO CLIP NAME:", "FROM FILE:"}) {
            const auto at = line.find(key);
            if (at == std::string::npos) continue;
            const std::string name = trim(line.substr(at + std::string(key).size()));
            const std::string field = key;
            if (field == "TO CLIP NAME:")
                event.to_name = name;
            else if (field == "FROM CLIP NAME:")
                event.from_name = name;
            else
                event.file_name = name;
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

    /// Returns the picture event added (null for audio-only, zero-length or malformed lines;
    /// a zero-length line is remembered as the outgoing source of the dissolve after it).
    RawEvent* read_event(const std::string& line, int line_number) {
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
        const auto in =
            timecode(words[n - 2], line_number, static_cast<int>(line.find(words[n - 2])) + 1);
        const auto out =
            timecode(words[n - 1], line_number, static_cast<int>(line.rfind(words[n - 1])) + 1);
        if (!in || !out) return nullptr;
        if (*out < *in) {
            diagnostics_.add({file_.string(), line_number, 1}, "cut event " + words[0],
                             "record out is before record in");
            return nullptr;
        }
        if (*out == *in) {  // the outgoing half of a dissolve pair
            outgoing_ = {words[0], words[1]};
            return nullptr;
        }
        RawEvent event;
        event.number = words[0];
        event.reel = words[1];
        event.black = is_black_reel(words[1]);
        if (words[3] != "C" && n >= 9 && std::isdigit(static_cast<unsigned char>(words[4][0]))) {
            // A transition lasts at most the event it leads into (its record duration).
            const auto length = parse_integer(words[4], 0, *out - *in);
            if (!length) {
                diagnostics_.add(number_problem(
                    words[4], range_text(std::int64_t{0}, *out - *in),
                    {{file_.string(), line_number, static_cast<int>(line.find(words[4])) + 1},
                     "cut event " + words[0],
                     "transition length (frames)"}));
                return nullptr;
            }
            event.dissolve = *length;
        }
        event.from_black =
            event.dissolve > 0 && outgoing_.first == words[0] && is_black_reel(outgoing_.second);
        event.record_in = *in;
        event.record_out = *out;
        event.where = {file_.string(), line_number, 1};
        raw_.push_back(std::move(event));
        return &raw_.back();
    }

    /// Panels from the events: a dissolve between two clips cuts at its middle (where
    /// storyreel centres it), a dissolve from black at its start; black belongs to the
    /// panel before it (its fade out), or at the very start to the first panel.
    std::vector<CutEvent> panel_events() const {
        std::vector<CutEvent> events;
        std::optional<std::int64_t> leading_black;
        for (const auto& raw : raw_) {
            if (raw.black) {
                if (!events.empty())
                    events.back().record_out = std::max(events.back().record_out, raw.record_out);
                else if (!leading_black)
                    leading_black = raw.record_in;
                continue;
            }
            std::int64_t cut = raw.record_in;
            if (raw.dissolve > 0 && !raw.from_black && !events.empty()) cut += raw.dissolve / 2;
            if (events.empty() && leading_black) cut = *leading_black;
            if (!events.empty()) events.back().record_out = cut;
            CutEvent event;
            const std::string& name =
                raw.dissolve > 0 && !raw.to_name.empty() ? raw.to_name : raw.from_name;
            if (!name.empty()) event.names.push_back(name);
            event.names.push_back(raw.reel);  // then the reel, then the file
            if (!raw.file_name.empty()) event.names.push_back(raw.file_name);
            event.record_in = cut;
            event.record_out = raw.record_out;
            event.label = "event " + raw.number;
            event.where = raw.where;
            events.push_back(std::move(event));
        }
        std::erase_if(events, [](const CutEvent& event) { return event.frames() <= 0; });
        return events;
    }

    std::filesystem::path file_;
    FrameRate rate_;
    Diagnostics& diagnostics_;
    bool drop_frame_ = false;
    std::deque<RawEvent> raw_;  // stable addresses for `last`
    std::pair<std::string, std::string>
        outgoing_;  ///< number and reel of the last zero-length line
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
