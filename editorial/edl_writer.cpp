#include "editorial/edl_writer.h"

#include <cstdio>
#include <stdexcept>

namespace storyreel {

std::string cmx3600_event_line(int event, const std::string& reel, const std::string& channel,
                               const Timecode& source_in, const Timecode& source_out,
                               const Timecode& record_in, const Timecode& record_out) {
    if (event < 1 || event > 999)
        throw std::invalid_argument("CMX3600 numbers events 001..999; got " + std::to_string(event));
    if (reel.empty() || reel.size() > 8 || channel.empty() || channel.size() > 5)
        throw std::invalid_argument("CMX3600 reel names take 1..8 characters and channels 1..5");
    char line[96];
    // Columns: event 1-3, reel 6-13, channel 15-19, transition 21-24, duration 26-28,
    // source in/out 30-40 / 42-52, record in/out 54-64 / 66-76.
    std::snprintf(line, sizeof line, "%03d  %-8s %-5s C        %s %s %s %s", event,
                  reel.c_str(), channel.c_str(), source_in.to_string().c_str(),
                  source_out.to_string().c_str(), record_in.to_string().c_str(),
                  record_out.to_string().c_str());
    return line;
}

std::string write_cmx3600_edl(const CutListTimeline& timeline) {
    const std::size_t events = timeline.clips.size() + (timeline.movie.has_audio ? 1 : 0);
    if (events > 999)
        throw std::invalid_argument("a CMX3600 EDL holds at most 999 events; the unit '" +
                                    timeline.unit + "' has " + std::to_string(events));
    const std::string reel = editorial_reel_name(timeline.movie.reel);
    std::string text = "TITLE: " + timeline.title.substr(0, 70) + "\n";
    text += timeline.start.drop_frame() ? "FCM: DROP FRAME\n" : "FCM: NON-DROP FRAME\n";
    int event = 0;
    for (const auto& clip : timeline.clips) {
        const Timecode in = timeline.start.plus(clip.record_start);
        const Timecode out = in.plus(clip.frames);
        text += "\n" + cmx3600_event_line(++event, reel, "V", in, out, in, out) + "\n";
        text += "* FROM CLIP NAME: " + clip.name + "\n";
    }
    if (timeline.movie.has_audio) {
        const Timecode in = timeline.start;
        const Timecode out = in.plus(timeline.frame_count);
        text += "\n" + cmx3600_event_line(++event, reel, "AA", in, out, in, out) + "\n";
        text += "* FROM CLIP NAME: " + timeline.movie.file.filename().string() + "\n";
    }
    return text;
}

}  // namespace storyreel
