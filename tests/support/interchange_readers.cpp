#include "tests/support/interchange_readers.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "editorial/xml_tree.h"
#include "pipeline/timecode.h"

namespace storyreel::testing {

const ReadTrack* ReadTimeline::track(const std::string& name) const {
    for (const auto& t : tracks)
        if (t.name == name) return &t;
    return nullptr;
}

namespace {

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<std::string> fields_of(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> fields;
    for (std::string field; in >> field;) fields.push_back(field);
    return fields;
}

/// The leading digits of a line (re.match(r'^\d+')), or nullopt.
std::optional<int> leading_number(const std::string& line) {
    std::size_t digits = 0;
    while (digits < line.size() && std::isdigit(static_cast<unsigned char>(line[digits]))) ++digits;
    if (digits == 0) return std::nullopt;
    return std::stoi(line.substr(0, digits));
}

// ---- cmx_3600.py ---------------------------------------------------------------------

/// ClipHandler: the fields of an event's line, the transition line's overriding them.
struct CmxEvent {
    std::string clip_num, transition_id, reel, channel, transition_type, transition_data;
    std::string source_in, source_out, record_in, record_out;
};

/// ClipHandler.parse(): 9 fields carry a transition, 8 fields must be a cut.
bool parse_cmx_line(const std::string& line, CmxEvent& event, std::vector<std::string>& errors) {
    const auto f = fields_of(line);
    if (f.size() == 9) {
        event.transition_id = f[0], event.reel = f[1], event.channel = f[2],
        event.transition_type = f[3];
        event.transition_data = f[4], event.source_in = f[5], event.source_out = f[6];
        event.record_in = f[7], event.record_out = f[8];
        return true;
    }
    if (f.size() == 8) {
        event.clip_num = f[0], event.reel = f[1], event.channel = f[2];
        event.source_in = f[4], event.source_out = f[5], event.record_in = f[6],
        event.record_out = f[7];
        if (f[3] != "C")
            errors.push_back("incorrect edit type " + f[3] + " in form statement: " + line);
        return f[3] == "C";
    }
    errors.push_back("incorrect number of fields [" + std::to_string(f.size()) +
                     "] in form statement: " + line);
    return false;
}

/// CommentHandler: "FROM CLIP NAME" before "TO CLIP NAME" before "FROM CLIP" ...; every
/// "LOC" comment is kept (a clip may have several), the others once.
struct HandledComments {
    std::map<std::string, std::string> once;
    std::vector<std::string> locators;  ///< what follows "LOC:", trimmed
};

HandledComments handled_comments(const std::vector<std::string>& comments) {
    static const std::vector<std::pair<std::string, std::string>> ids = {
        {"FROM CLIP NAME", "clip_name"},
        {"TO CLIP NAME", "dest_clip_name"},
        {"FROM CLIP", "media_reference"},
        {"FROM FILE", "media_reference"},
        {"LOC", "locators"}};
    HandledComments handled;
    for (const auto& comment : comments) {
        std::string rest = comment;
        if (!rest.empty() && rest[0] == '*') rest = rest.substr(1);
        rest = rest.substr(std::min(rest.size(), rest.find_first_not_of(" \t")));
        for (const auto& [id, type] : ids)
            if (rest.rfind(id, 0) == 0) {
                std::string body = rest.substr(id.size());
                if (!body.empty() && body[0] == ':') body = body.substr(1);
                if (type == "locators")
                    handled.locators.push_back(trim(body));
                else
                    handled.once[type] = trim(body);
                break;
            }
    }
    return handled;
}

std::vector<std::string> cmx_tracks_for_channel(const std::string& channel) {
    static const std::map<std::string, std::vector<std::string>> channel_map = {
        {"A", {"A1"}},
        {"AA", {"A1", "A2"}},
        {"B", {"V", "A1"}},
        {"A2/V", {"V", "A2"}},
        {"AA/V", {"V", "A1", "A2"}}};
    const auto it = channel_map.find(channel);
    return it == channel_map.end() ? std::vector<std::string>{channel} : it->second;
}

class CmxReader {
  public:
    CmxReader(FrameRate rate) : rate_(rate) {}

    /// EDLParser.add_clip().
    void add_clip(const std::string& line, const std::vector<std::string>& comments,
                  const std::string& transition_line) {
        CmxEvent event;
        if (!parse_cmx_line(line, event, read_.errors)) return;
        if (!transition_line.empty() && !parse_cmx_line(transition_line, event, read_.errors))
            return;
        const auto handled = handled_comments(comments);
        ReadItem clip;
        clip.name = event.clip_num;
        if (handled.once.count("clip_name")) clip.name = handled.once.at("clip_name");
        if (handled.once.count("dest_clip_name")) clip.name = handled.once.at("dest_clip_name");
        clip.reel = event.reel;
        add_locators(handled.locators, clip);
        const auto source_in = frames(event.source_in), source_out = frames(event.source_out);
        const auto record_in = frames(event.record_in), record_out = frames(event.record_out);
        if (!source_in || !source_out || !record_in || !record_out) return;
        clip.source_in = *source_in;
        clip.duration = *source_out - *source_in;
        if (*record_out - *record_in != clip.duration)
            read_.errors.push_back(
                "Source and record duration don't match: " + std::to_string(clip.duration) +
                " != " + std::to_string(*record_out - *record_in) + " for clip " + clip.name);
        std::optional<ReadItem> transition;
        if (!transition_line.empty()) {
            if (event.transition_id != event.clip_num)
                read_.errors.push_back("transition and event id mismatch: " + event.transition_id +
                                       " vs " + event.clip_num);
            const bool wipe = event.transition_type.size() == 4 && event.transition_type[0] == 'W';
            if (event.transition_type != "D" && !wipe)
                read_.errors.push_back("Transition type '" + event.transition_type +
                                       "' not supported");
            transition = ReadItem{ReadItem::Kind::Transition, "dissolve to " + clip.name};
            transition->in_offset = 0;
            transition->out_offset = std::stoll(event.transition_data);
        }
        for (const auto& name : cmx_tracks_for_channel(event.channel)) {
            ReadTrack& track = track_named(name);
            if (track.items.empty() && !started_[name]) {
                track.start = *record_in;
                started_[name] = true;
            }
            std::int64_t end = track.start;
            for (const auto& item : track.items) end += item.duration;
            if (*record_in < end)
                read_.errors.push_back("Overlapping record in value: " + event.record_in +
                                       " for clip " + clip.name);
            if (*record_in > end && !track.items.empty()) {
                track.items.push_back({ReadItem::Kind::Gap, "", "", end, *record_in - end});
                end = *record_in;
            }
            if (transition) {
                if (track.items.empty())
                    read_.errors.push_back(
                        "Transitions can't be at the very beginning of a track (" + name +
                        ", clip " + clip.name + ")");
                ReadItem placed = *transition;
                placed.record_in = end;
                track.items.push_back(placed);
            }
            ReadItem placed = clip;
            placed.record_in = end;
            track.items.push_back(placed);
        }
    }

    ReadTimeline& result() { return read_; }

  private:
    /// The locators: re.match(r'(\d\d:\d\d:\d\d:\d\d)\s+(\w*)(\s+|$)(.*)'); a line that
    /// does not match (a drop-frame ';' timecode among them) is skipped without a word. The
    /// marker's time is the timecode as written (the adapter puts it in the clip's source
    /// time, which in storyreel's EDL equals the record time).
    void add_locators(const std::vector<std::string>& locators, ReadItem& clip) {
        static const std::regex form(R"(^(\d\d:\d\d:\d\d:\d\d)\s+(\w*)(\s+|$)(.*))");
        for (const auto& locator : locators) {
            std::smatch match;
            if (!std::regex_search(locator, match, form)) continue;
            if (const auto at = frames(match[1].str()))
                clip.markers.push_back({*at, match[4].str()});
        }
    }

    std::optional<std::int64_t> frames(const std::string& timecode) {
        const auto parsed = Timecode::parse(timecode, rate_);
        if (!parsed) read_.errors.push_back("not a timecode at this rate: " + timecode);
        return parsed ? std::optional<std::int64_t>(parsed->frames()) : std::nullopt;
    }
    ReadTrack& track_named(const std::string& name) {
        for (auto& track : read_.tracks)
            if (track.name == name) return track;
        read_.tracks.push_back({name});
        return read_.tracks.back();
    }

    FrameRate rate_;
    ReadTimeline read_;
    std::map<std::string, bool> started_;
};

// ---- fcp_xml.py ----------------------------------------------------------------------

std::string tag_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

std::int64_t number_in(const xmlNode* parent, const char* name) {
    const xmlNode* child = first_child(parent, name);
    return child ? std::stoll(text_of(child)) : 0;
}

/// _transition_cut_point().
std::int64_t transition_cut_point(const xmlNode* transition) {
    const std::string alignment = text_of(first_child(transition, "alignment"));
    const std::int64_t start = number_in(transition, "start"), end = number_in(transition, "end");
    if (alignment == "end" || alignment == "end-black") return end;
    if (alignment == "start" || alignment == "start-black") return start;
    return (start + end) / 2;  // int((start + end) / 2) for non-negative frames
}

// ---- fcpx_xml.py ---------------------------------------------------------------------

bool is_timing_clip(const xmlNode* node) {
    const std::string tag = tag_of(node);
    return tag == "clip" || tag == "asset-clip" || tag == "ref-clip";
}

}  // namespace

ReadTimeline read_edl_like_otio(const std::string& text, FrameRate rate) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!trim(line).empty()) lines.push_back(trim(line));
    CmxReader reader(rate);
    for (std::size_t i = 0; i < lines.size();) {
        const std::string line = lines[i++];
        if (line.rfind("TITLE:", 0) == 0) {
            reader.result().title = trim(line.substr(6));
        } else if (line.rfind("FCM", 0) == 0) {
        } else if (std::isdigit(static_cast<unsigned char>(line[0]))) {
            const int event = *leading_number(line);
            std::vector<std::string> comments;
            std::string transition_line;
            while (i < lines.size()) {
                const auto number = leading_number(lines[i]);
                if (!number) {
                    comments.push_back(lines[i++]);
                } else if (*number == event) {
                    if (!transition_line.empty())
                        reader.result().errors.push_back("Invalid transition " + lines[i]);
                    transition_line = lines[i++];
                } else {
                    break;
                }
            }
            reader.add_clip(line, comments, transition_line);
        } else {
            reader.result().errors.push_back("Unknown event type: " + line);
        }
    }
    return reader.result();
}

ReadTimeline read_xmeml_like_otio(const std::filesystem::path& file) {
    ReadTimeline read;
    const XmlDocument document = parse_xml_file(file);
    const xmlNode* sequence = first_child(xmlDocGetRootElement(document.get()), "sequence");
    read.title = text_of(first_child(sequence, "name"));
    const xmlNode* track =
        first_child(first_child(first_child(sequence, "media"), "video"), "track");
    ReadTrack out{"V1"};
    std::map<std::string, std::int64_t> file_frames;  // <file id> -> its duration
    const auto elements = child_elements(track);
    const xmlNode* head = nullptr;
    std::int64_t now = 0;
    for (std::size_t i = 0; i < elements.size(); ++i) {
        const xmlNode* element = elements[i];
        const std::string tag = tag_of(element);
        if (tag != "clipitem" && tag != "transitionitem" && tag != "generatoritem") continue;
        const xmlNode* tail = i + 1 < elements.size() && tag_of(elements[i + 1]) == "transitionitem"
                                  ? elements[i + 1]
                                  : nullptr;
        ReadItem item;
        std::int64_t start = number_in(element, "start"), end = number_in(element, "end");
        std::int64_t start_offset = 0;
        if (tag == "transitionitem") {
            item.kind = ReadItem::Kind::Transition;
            item.name = text_of(first_child(first_child(element, "effect"), "name"));
            item.alignment = text_of(first_child(element, "alignment"));
            const std::int64_t cut = transition_cut_point(element);
            item.record_in = start;
            item.in_offset = cut - start;
            item.out_offset = end - cut;
            out.items.push_back(item);
            head = element;
            now = std::max(now, end);
            continue;
        }
        if (start == -1) {
            if (!head)
                read.errors.push_back(text_of(first_child(element, "name")) +
                                      ": start -1 with no transition");
            start = head ? transition_cut_point(head) : 0;
            start_offset = head ? start - number_in(head, "start") : 0;
        }
        if (end == -1) {
            if (!tail)
                read.errors.push_back(text_of(first_child(element, "name")) +
                                      ": end -1 with no transition");
            end = tail ? transition_cut_point(tail) : 0;
        }
        if (now < start) out.items.push_back({ReadItem::Kind::Gap, "", "", now, start - now});
        item.name = text_of(first_child(element, "name"));
        item.record_in = start;
        item.duration = end - start;
        const std::int64_t in = number_in(element, "in"), out_frame = number_in(element, "out");
        item.source_in = in + start_offset;  // the board files carry no timecode
        for (const xmlNode* marker : child_elements(element, "marker"))
            item.markers.push_back({start + (number_in(marker, "in") - item.source_in),
                                    text_of(first_child(marker, "name"))});
        if (const xmlNode* file_element = first_child(element, "file")) {
            const std::string id = attribute_of(file_element, "id");
            if (first_child(file_element, "duration"))
                file_frames[id] = number_in(file_element, "duration");
            if (!file_frames.count(id)) {
                read.errors.push_back(item.name + ": <file id=" + id +
                                      "> used before it is described");
            } else if (out_frame > file_frames[id] ||
                       item.source_in + item.duration > file_frames[id]) {
                read.errors.push_back(item.name + ": in/out " + std::to_string(in) + "-" +
                                      std::to_string(out_frame) + " runs past its <file id=" + id +
                                      "> of " + std::to_string(file_frames[id]) + " frames");
            }
        }
        out.items.push_back(item);
        now = end;
    }
    read.tracks.push_back(out);
    return read;
}

std::int64_t fcpx_adapter_frames(const std::string& time, const std::string& frame_duration) {
    if (time.empty() || time == "0s") return 0;
    const auto slash = frame_duration.find('/');
    const double fd_total = std::stod(frame_duration.substr(0, slash));
    const double fd_rate =
        std::stod(frame_duration.substr(slash + 1, frame_duration.size() - slash - 2));
    const auto time_slash = time.find('/');
    if (time_slash == std::string::npos)
        return static_cast<std::int64_t>(std::stoll(time.substr(0, time.size() - 1)) *
                                         (fd_rate / fd_total));
    const double a = std::stod(time.substr(0, time_slash));
    const double b = std::stod(time.substr(time_slash + 1, time.size() - time_slash - 2));
    return static_cast<std::int64_t>((a / b) * (fd_rate / fd_total));
}

namespace {

/// to_rational_time(): frames at the adapter's integer frame rate.
std::int64_t fcpx_rational_frames(const std::string& time, int fps) {
    if (time.empty() || time == "0s") return 0;
    const auto slash = time.find('/');
    if (slash == std::string::npos)
        return static_cast<std::int64_t>(std::stod(time.substr(0, time.size() - 1)) * fps);
    const double a = std::stod(time.substr(0, slash));
    const double b = std::stod(time.substr(slash + 1, time.size() - slash - 2));
    return static_cast<std::int64_t>(a / b * static_cast<double>(fps));
}

class FcpxReader {
  public:
    explicit FcpxReader(xmlNode* root) {
        for (xmlNode* node : child_elements(first_child(root, "resources"))) {
            const std::string id = attribute_of(node, "id");
            if (tag_of(node) == "format") formats_[id] = attribute_of(node, "frameDuration");
            if (tag_of(node) == "asset") assets_[id] = node;
        }
    }

    /// _format_id_for_clip().
    std::string format_of(const xmlNode* clip, const std::string& fallback) const {
        const std::string ref = attribute_of(clip, "ref");
        if (ref.empty() || tag_of(clip) == "gap") return fallback;
        const auto asset = assets_.find(ref);
        if (asset == assets_.end()) return fallback;
        const std::string format = attribute_of(asset->second, "format");
        return format.empty() ? fallback : format;
    }
    std::string frame_duration(const std::string& format) const {
        const auto it = formats_.find(format);
        return it == formats_.end() ? "1/24s" : it->second;
    }
    /// _format_frame_rate(): int(fd_rate / fd_total).
    int fps(const std::string& format) const {
        const std::string fd = frame_duration(format);
        const auto slash = fd.find('/');
        return static_cast<int>(std::stod(fd.substr(slash + 1, fd.size() - slash - 2)) /
                                std::stod(fd.substr(0, slash)));
    }
    std::int64_t frames(const std::string& time, const std::string& format) const {
        return fcpx_adapter_frames(time, frame_duration(format));
    }

  private:
    std::map<std::string, std::string> formats_;
    std::map<std::string, xmlNode*> assets_;
};

void collect_composables(xmlNode* node, std::vector<xmlNode*>& out) {
    for (xmlNode* child : child_elements(node)) {
        const std::string tag = tag_of(child);
        if (tag == "video" || tag == "audio" || tag == "ref-clip" || tag == "asset-clip")
            out.push_back(child);
        collect_composables(child, out);
    }
}

}  // namespace

ReadTimeline read_fcpxml_like_otio(const std::filesystem::path& file) {
    ReadTimeline read;
    const XmlDocument document = parse_xml_file(file);
    xmlNode* root = xmlDocGetRootElement(document.get());
    const FcpxReader reader(root);
    xmlNode* project = first_child(first_child(first_child(root, "library"), "event"), "project");
    xmlNode* sequence = first_child(project, "sequence");
    read.title = attribute_of(project, "name");
    const std::string sequence_format = attribute_of(sequence, "format");
    std::vector<xmlNode*> composables;
    collect_composables(sequence, composables);
    std::map<std::string, std::vector<ReadItem>> lanes;
    for (xmlNode* element : composables) {
        xmlNode* timing = element;
        while (timing && timing->type == XML_ELEMENT_NODE && !is_timing_clip(timing))
            timing = timing->parent;
        if (!timing || timing->type != XML_ELEMENT_NODE) {
            read.errors.push_back(
                "<" + tag_of(element) + " name='" + attribute_of(element, "name") +
                "'> has no clip/asset-clip/ref-clip around it: the adapter's _timing_clip() "
                "walks off the document (AttributeError)");
            continue;
        }
        const std::string clip_format = reader.format_of(element, sequence_format);
        const xmlNode* parent = timing->parent;
        const std::string parent_format = reader.format_of(parent, sequence_format);
        std::string lane = attribute_of(timing, "lane");
        if (lane.empty()) lane = "0";
        const std::int64_t offset = reader.frames(attribute_of(timing, "offset"), clip_format) -
                                    reader.frames(attribute_of(parent, "start"), parent_format) +
                                    reader.frames(attribute_of(parent, "offset"), parent_format);
        const int fps = reader.fps(clip_format);
        ReadItem item;
        item.name = attribute_of(timing, "name");
        item.record_in = offset;
        item.source_in = fcpx_rational_frames(attribute_of(timing, "start"), fps);
        item.duration = fcpx_rational_frames(attribute_of(timing, "duration"), fps);
        for (const xmlNode* marker : child_elements(timing, "marker")) {
            const std::int64_t at =
                fcpx_rational_frames(attribute_of(marker, "start"), reader.fps(sequence_format));
            item.markers.push_back({at, attribute_of(marker, "value")});
        }
        lanes[lane].push_back(item);
    }
    for (auto& [lane, items] : lanes) {
        std::stable_sort(items.begin(), items.end(), [](const ReadItem& a, const ReadItem& b) {
            return a.record_in < b.record_in;
        });
        read.tracks.push_back({lane, items});
    }
    return read;
}

}  // namespace storyreel::testing
