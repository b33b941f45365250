#include "editorial/edl_writer.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <stdexcept>

#include "editorial/ascii_text.h"

namespace storyreel {

namespace {

constexpr int kBlack = -1;
constexpr int kNoSource = -2;

/// Where a picture event starts on the record timeline and what it shows.
struct PictureMark {
    std::int64_t at = 0;
    int source = kBlack;        ///< clip index, or kBlack
    int from = kNoSource;       ///< dissolves: the source dissolved from
    std::int64_t dissolve = 0;  ///< dissolve frames (0: a cut)
};

/// One mark per clip at its cut, moved and joined by marks for the transitions.
std::vector<PictureMark> picture_marks(const CutListTimeline& timeline) {
    std::vector<PictureMark> marks;
    std::vector<std::size_t> mark_of_clip;
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        mark_of_clip.push_back(marks.size());
        marks.push_back({timeline.clips[i].record_start, static_cast<int>(i)});
    }
    for (const auto& transition : timeline.transitions) {
        const int clip = static_cast<int>(transition.clip);
        PictureMark& into = marks[mark_of_clip[transition.clip]];
        PictureMark added{0, kNoSource};  // appended after `into` is set (push_back moves it)
        switch (transition.kind) {
            case CutListTransitionKind::Dissolve:
                into = {transition.first_frame(), clip, clip - 1, transition.frames()};
                break;
            case CutListTransitionKind::DipToBlack: {
                const std::int64_t to_black = transition.frames() / 2;  // black at the middle
                if (to_black > 0) added = {transition.first_frame(), kBlack, clip - 1, to_black};
                into = {transition.first_frame() + to_black, clip, kBlack,
                        transition.frames() - to_black};
                break;
            }
            case CutListTransitionKind::FadeIn:
                into = {transition.cut, clip, kBlack, transition.after};
                break;
            case CutListTransitionKind::FadeOut:
                added = {transition.first_frame(), kBlack, clip, transition.before};
                break;
        }
        if (added.source != kNoSource) marks.push_back(added);
    }
    std::stable_sort(marks.begin(), marks.end(),
                     [](const auto& a, const auto& b) { return a.at < b.at; });
    return marks;
}

class PictureEvents {
  public:
    explicit PictureEvents(const CutListTimeline& timeline)
        : timeline_(timeline),
          reel_(editorial_reel_name(timeline.movie.reel)),
          black_(0, timeline.rate, timeline.start.drop_frame()) {}

    std::vector<EdlEvent> make() const {
        const auto marks = picture_marks(timeline_);
        std::vector<EdlEvent> events;
        for (std::size_t i = 0; i < marks.size(); ++i) {
            const std::int64_t end = i + 1 < marks.size() ? marks[i + 1].at : timeline_.frame_count;
            if (end > marks[i].at) events.push_back(event_of(marks[i], end));
        }
        add_dialogue_locators(events);
        return events;
    }

  private:
    /// Each panel's dialogue as a locator at its own cut, after the event holding that frame
    /// (events butt in record order and cover the cut, so exactly one does).
    void add_dialogue_locators(std::vector<EdlEvent>& events) const {
        std::size_t event = 0;
        for (const auto& clip : timeline_.clips) {
            if (clip.dialogue.empty()) continue;
            const Timecode at = timeline_.start.plus(clip.record_start);
            while (event + 1 < events.size() && events[event].record_out.frames() <= at.frames())
                ++event;
            if (event < events.size())
                events[event].comments.push_back(
                    cmx3600_locator(at, kDialogueLocatorColour, clip.dialogue));
        }
    }

    EdlEvent event_of(const PictureMark& mark, std::int64_t end) const {
        EdlEvent event;
        const Timecode record_in = timeline_.start.plus(mark.at);
        event.record_in = record_in;
        event.record_out = timeline_.start.plus(end);
        event.reel = reel_of(mark.source);
        // The movie's source timecode is its record timecode; black starts at zero.
        event.source_in = mark.source == kBlack ? black_ : record_in;
        event.source_out = event.source_in.plus(end - mark.at);
        event.dissolve_frames = mark.dissolve;
        if (mark.dissolve == 0) {
            event.comments.push_back("FROM CLIP NAME: " + name_of(mark.source));
            return event;
        }
        event.outgoing_reel = reel_of(mark.from);
        event.outgoing_source = mark.from == kBlack ? black_ : record_in;
        if (mark.from != kBlack) event.comments.push_back("FROM CLIP NAME: " + name_of(mark.from));
        if (mark.source != kBlack)
            event.comments.push_back("TO CLIP NAME: " + name_of(mark.source));
        return event;
    }

    std::string reel_of(int source) const { return source == kBlack ? kBlackReel : reel_; }
    std::string name_of(int source) const {
        return source == kBlack ? "BLACK" : timeline_.clips[static_cast<std::size_t>(source)].name;
    }

    const CutListTimeline& timeline_;
    std::string reel_;
    Timecode black_;
};

}  // namespace

std::string cmx3600_event_line(int event, const std::string& reel, const std::string& channel,
                               const Timecode& source_in, const Timecode& source_out,
                               const Timecode& record_in, const Timecode& record_out,
                               std::int64_t dissolve_frames) {
    if (event < 1 || event > 999)
        throw std::invalid_argument("CMX3600 numbers events 001..999; got " +
                                    std::to_string(event));
    if (reel.empty() || reel.size() > 8 || channel.empty() || channel.size() > 5)
        throw std::invalid_argument("CMX3600 reel names take 1..8 characters and channels 1..5");
    if (dissolve_frames < 0 || dissolve_frames > 999)
        throw std::invalid_argument("a CMX3600 dissolve lasts 1..999 frames; got " +
                                    std::to_string(dissolve_frames));
    char transition[16];
    if (dissolve_frames > 0)
        std::snprintf(transition, sizeof transition, "D    %03d",
                      static_cast<int>(dissolve_frames));
    else
        std::snprintf(transition, sizeof transition, "C       ");
    char line[112];
    // Columns: event 1-3, reel 6-13, channel 15-19, transition 21-24, duration 26-28,
    // source in/out 30-40 / 42-52, record in/out 54-64 / 66-76.
    std::snprintf(line, sizeof line, "%03d  %-8s %-5s %s %s %s %s %s", event, reel.c_str(),
                  channel.c_str(), transition, source_in.to_string().c_str(),
                  source_out.to_string().c_str(), record_in.to_string().c_str(),
                  record_out.to_string().c_str());
    return line;
}

std::string cmx3600_locator(const Timecode& at, const std::string& colour,
                            const std::string& text) {
    static const std::string kColours[] = {"RED",     "GREEN",  "BLUE",  "CYAN",
                                           "MAGENTA", "YELLOW", "BLACK", "WHITE"};
    if (std::find(std::begin(kColours), std::end(kColours), colour) == std::end(kColours))
        throw std::invalid_argument("'" + colour + "' is not an Avid locator colour");
    char head[40];
    std::snprintf(head, sizeof head, "LOC: %s %-7s ", at.to_string().c_str(), colour.c_str());
    std::string words = to_7bit_ascii(text);  // control characters (line breaks) are spaces
    words.erase(0, words.find_first_not_of(' '));
    words.erase(words.find_last_not_of(' ') + 1);
    // "* " + head + text within the 80 columns of a CMX3600 line.
    const std::size_t room = 80 - 2 - std::string(head).size();
    if (words.size() > room) words = words.substr(0, room - 3) + "...";
    std::string line = head + words;
    line.erase(line.find_last_not_of(' ') + 1);  // no text: "LOC: 01:00:15:13 GREEN"
    return line;
}

namespace {

/// OTIO's cmx_3600 reader refuses a transition as the first item of a track ("Transitions
/// can't be at the very beginning of a track"): a track that opens with a dissolve (a fade
/// from black, or a split EDL's part) gets a zero-length cut of the outgoing source first,
/// at the dissolve's record in. It takes no frame, so the cut and its timing are unchanged.
std::vector<EdlEvent> with_lead_in_cuts(const std::vector<EdlEvent>& events) {
    std::vector<EdlEvent> out;
    std::vector<std::string> channels_seen;
    for (const auto& event : events) {
        const bool first_on_track = std::find(channels_seen.begin(), channels_seen.end(),
                                              event.channel) == channels_seen.end();
        if (first_on_track) channels_seen.push_back(event.channel);
        if (first_on_track && event.dissolve_frames > 0) {
            EdlEvent lead;
            lead.reel = event.outgoing_reel;
            lead.channel = event.channel;
            lead.source_in = lead.source_out = event.outgoing_source;
            lead.record_in = lead.record_out = event.record_in;
            out.push_back(std::move(lead));
        }
        out.push_back(event);
    }
    return out;
}

}  // namespace

std::size_t cmx3600_event_count(const std::vector<EdlEvent>& events) {
    return with_lead_in_cuts(events).size();
}

std::string write_cmx3600(const std::string& title, bool drop_frame,
                          const std::vector<EdlEvent>& given) {
    const std::vector<EdlEvent> events = with_lead_in_cuts(given);
    if (events.size() > kCmx3600MaxEvents)
        throw std::invalid_argument("a CMX3600 EDL holds at most 999 events; '" + title + "' has " +
                                    std::to_string(events.size()));
    // CMX3600 is 7-bit ASCII: the title and comments are transliterated (the other lists
    // keep the names as they are).
    std::string text = "TITLE: " + to_7bit_ascii(title).substr(0, 70) + "\n";
    text += drop_frame ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n";
    int number = 0;
    for (const auto& event : events) {
        ++number;
        text += "\n";
        if (event.dissolve_frames > 0)
            text += cmx3600_event_line(number, event.outgoing_reel, event.channel,
                                       event.outgoing_source, event.outgoing_source,
                                       event.record_in, event.record_in) +
                    "\n";
        text +=
            cmx3600_event_line(number, event.reel, event.channel, event.source_in, event.source_out,
                               event.record_in, event.record_out, event.dissolve_frames) +
            "\n";
        for (const auto& comment : event.comments) text += "* " + to_7bit_ascii(comment) + "\n";
    }
    return text;
}

namespace {

/// The movie's audio from `from` to `to` (record frames of the unit) as one AA event.
EdlEvent movie_audio_event(const CutListTimeline& timeline, std::int64_t from, std::int64_t to) {
    EdlEvent audio;
    audio.reel = editorial_reel_name(timeline.movie.reel);
    audio.channel = "AA";
    audio.source_in = audio.record_in = timeline.start.plus(from);
    audio.source_out = audio.record_out = timeline.start.plus(to);
    audio.comments.push_back("FROM CLIP NAME: " + timeline.movie.file.filename().string());
    return audio;
}

/// The events of a part: its picture events, then the movie's audio under them.
std::vector<EdlEvent> part_events(const CutListTimeline& timeline, std::vector<EdlEvent> picture) {
    if (timeline.movie.has_audio && !picture.empty())
        picture.push_back(movie_audio_event(
            timeline, picture.front().record_in.frames() - timeline.start.frames(),
            picture.back().record_out.frames() - timeline.start.frames()));
    return picture;
}

}  // namespace

std::vector<EdlEvent> cmx3600_picture_events(const CutListTimeline& timeline) {
    return PictureEvents(timeline).make();
}

std::size_t cmx3600_edl_event_count(const CutListTimeline& timeline) {
    return cmx3600_event_count(part_events(timeline, cmx3600_picture_events(timeline)));
}

std::string write_cmx3600_edl(const CutListTimeline& timeline) {
    return write_cmx3600(timeline.title, timeline.start.drop_frame(),
                         part_events(timeline, cmx3600_picture_events(timeline)));
}

std::vector<EdlText> write_cmx3600_edl_parts(const CutListTimeline& timeline) {
    const std::vector<EdlEvent> picture = cmx3600_picture_events(timeline);
    std::vector<std::vector<EdlEvent>> parts(1);
    // A part holds its picture events, a lead-in cut when it opens with a dissolve, and the
    // audio event; a part never splits a dissolve (its two lines are one event).
    const std::size_t audio = timeline.movie.has_audio ? 1 : 0;
    for (const auto& event : picture) {
        const auto& part = parts.back();
        const std::size_t lead = !part.empty() && part.front().dissolve_frames > 0 ? 1 : 0;
        if (!part.empty() && part.size() + 1 + lead + audio > kCmx3600MaxEvents)
            parts.emplace_back();
        parts.back().push_back(event);
    }
    std::vector<EdlText> texts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string title = parts.size() == 1
                                      ? timeline.title
                                      : timeline.title + " part " + std::to_string(i + 1) + " of " +
                                            std::to_string(parts.size());
        const auto events = part_events(timeline, parts[i]);
        texts.push_back({write_cmx3600(title, timeline.start.drop_frame(), events),
                         cmx3600_event_count(events)});
    }
    return texts;
}

}  // namespace storyreel
