#include "editorial/xmeml_writer.h"

#include <algorithm>
#include <map>

#include "editorial/xml_tree.h"

namespace storyreel {

std::string fcp7_url(const std::filesystem::path& path) {
    return "file://localhost" + file_url(path).substr(std::string("file://").size());
}

namespace {

void add_rate(xmlNode* parent, FrameRate rate) {
    xmlNode* node = add_element(parent, "rate");
    add_element(node, "timebase", std::to_string(rate.timecode_base()));
    add_element(node, "ntsc", rate.is_ntsc() ? "TRUE" : "FALSE");
}

void add_timecode(xmlNode* parent, const Timecode& timecode) {
    xmlNode* node = add_element(parent, "timecode");
    add_rate(node, timecode.rate());
    add_element(node, "string", timecode.to_string());
    add_element(node, "frame", std::to_string(timecode.frames()));
    add_element(node, "displayformat", timecode.drop_frame() ? "DF" : "NDF");
}

void add_range(xmlNode* clipitem, std::int64_t start, std::int64_t end, std::int64_t in,
               std::int64_t out) {
    add_element(clipitem, "start", std::to_string(start));
    add_element(clipitem, "end", std::to_string(end));
    add_element(clipitem, "in", std::to_string(in));
    add_element(clipitem, "out", std::to_string(out));
}

/// Writes a file element in full the first time an id is used, by reference after.
class FileTable {
  public:
    xmlNode* add(xmlNode* parent, const std::filesystem::path& path, bool& first_use) {
        auto [it, inserted] = ids_.emplace(path, "file-" + std::to_string(ids_.size() + 1));
        first_use = inserted;
        xmlNode* file = add_element(parent, "file");
        set_attribute(file, "id", it->second);
        return file;
    }

  private:
    std::map<std::filesystem::path, std::string> ids_;
};

/// FCP 7's alignment of a transition on its cut. Fades to and from black say so: a
/// reader then shows black on that side, never the clip next to it.
const char* alignment_of(const CutListTransition& transition) {
    if (transition.kind == CutListTransitionKind::FadeIn) return "start-black";
    if (transition.kind == CutListTransitionKind::FadeOut) return "end-black";
    if (transition.before == 0) return "start";
    if (transition.after == 0) return "end";
    return "center";
}

void add_transition_item(xmlNode* track, const CutListTimeline& timeline,
                         const CutListTransition& transition) {
    xmlNode* item = add_element(track, "transitionitem");
    add_rate(item, timeline.rate);
    add_element(item, "start", std::to_string(transition.first_frame()));
    add_element(item, "end", std::to_string(transition.cut + transition.after));
    add_element(item, "alignment", alignment_of(transition));
    // Fades are Cross Dissolves from / to black (their alignment says which); a dip to
    // black is written as a fade out then a fade in (CutListTimeline::track_items_through_black).
    xmlNode* effect = add_element(item, "effect");
    add_element(effect, "name", "Cross Dissolve");
    add_element(effect, "effectid", "Cross Dissolve");
    add_element(effect, "effectcategory", "Dissolve");
    add_element(effect, "effecttype", "transition");
    add_element(effect, "mediatype", "video");
}

/// A board clip's media: `in` 0 is the first frame its media must hold (the start of the
/// transition into it, or its own cut), so in/out cover the frames the transitions next to
/// it show, as FCP 7 writes them; start (end) is -1 where a transition decides the cut.
struct BoardClipRange {
    std::int64_t start = 0, end = 0, in = 0, out = 0;
    std::int64_t cut_in_media = 0;  ///< the panel's own cut, in media frames (its marker)
};

BoardClipRange board_clip_range(const CutListTimeline& timeline,
                                const std::vector<CutListTrackItem>& items, std::size_t index) {
    const CutListClipSpan span = timeline.clip_span(items, index);
    const CutListClip& clip = timeline.clips[items[index].clip];
    const std::int64_t origin = span.media_origin();
    // As FCP 7 (and OTIO's fcp_xml adapter) write it: a clip next to a transition takes its
    // cut from the transition's alignment.
    const bool head = span.head.has_value();
    const bool tail = span.tail.has_value();
    BoardClipRange range;
    range.start = head ? -1 : span.cut_in;
    range.end = tail ? -1 : span.cut_out;
    range.in = span.shown_from - origin;
    range.out = std::max(span.shown_to, span.cut_out) - origin;
    range.cut_in_media = clip.record_start - origin;
    return range;
}

/// How many frames each board's file must hold: the longest in/out of its clips.
std::map<std::filesystem::path, std::int64_t> board_media_frames(
    const CutListTimeline& timeline, const std::vector<CutListTrackItem>& items) {
    std::map<std::filesystem::path, std::int64_t> frames;
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].transition) continue;
        const CutListClip& clip = timeline.clips[items[k].clip];
        const BoardClipRange range = board_clip_range(timeline, items, k);
        std::int64_t& longest = frames[clip.board];
        longest = std::max({longest, range.out, range.cut_in_media + clip.frames});
    }
    return frames;
}

void add_board_clip(xmlNode* track, const CutListTimeline& timeline,
                    const std::vector<CutListTrackItem>& items, std::size_t k,
                    std::int64_t file_frames, FileTable& files) {
    const std::size_t index = items[k].clip;
    const CutListClip& clip = timeline.clips[index];
    const BoardClipRange range = board_clip_range(timeline, items, k);
    xmlNode* item = add_element(track, "clipitem");
    set_attribute(item, "id", "clipitem-" + std::to_string(index + 1));
    add_element(item, "name", clip.name);
    add_element(item, "enabled", "TRUE");
    add_element(item, "duration", std::to_string(file_frames));
    add_rate(item, timeline.rate);
    add_range(item, range.start, range.end, range.in, range.out);
    add_element(item, "stillframe", "TRUE");
    bool first_use = false;
    xmlNode* file = files.add(item, clip.board, first_use);
    if (first_use) {
        add_element(file, "name", clip.board.filename().string());
        add_element(file, "pathurl", fcp7_url(clip.board));
        add_rate(file, timeline.rate);
        add_element(file, "duration", std::to_string(file_frames));
        xmlNode* video = add_element(add_element(file, "media"), "video");
        xmlNode* sample = add_element(video, "samplecharacteristics");
        add_element(sample, "width", std::to_string(timeline.width));
        add_element(sample, "height", std::to_string(timeline.height));
    }
    if (!clip.dialogue.empty()) {  // marker in/out are media frames: the panel's own cut on
        xmlNode* marker = add_element(item, "marker");
        add_element(marker, "name", clip.dialogue);
        add_element(marker, "comment", clip.dialogue);
        add_element(marker, "in", std::to_string(range.cut_in_media));
        add_element(marker, "out", std::to_string(range.cut_in_media + clip.frames));
    }
}

void add_video_track(xmlNode* video, const CutListTimeline& timeline, FileTable& files) {
    xmlNode* track = add_element(video, "track");
    const auto items = timeline.track_items_through_black();
    const auto media_frames = board_media_frames(timeline, items);
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].transition)
            add_transition_item(track, timeline, *items[k].transition);
        else
            add_board_clip(track, timeline, items, k,
                           media_frames.at(timeline.clips[items[k].clip].board), files);
    }
}

void add_movie_audio(xmlNode* audio, const CutListTimeline& timeline, FileTable& files) {
    xmlNode* track = add_element(audio, "track");
    xmlNode* item = add_element(track, "clipitem");
    set_attribute(item, "id", "clipitem-audio-1");
    add_element(item, "name", timeline.movie.file.filename().string());
    add_element(item, "enabled", "TRUE");
    const std::int64_t slate = timeline.movie.slate_frames;  // media before the cut
    const std::int64_t media_frames = slate + timeline.frame_count;
    add_element(item, "duration", std::to_string(media_frames));
    add_rate(item, timeline.rate);
    add_range(item, 0, timeline.frame_count, slate, media_frames);
    bool first_use = false;
    xmlNode* file = files.add(item, timeline.movie.file, first_use);
    add_element(file, "name", timeline.movie.file.filename().string());
    add_element(file, "pathurl", fcp7_url(timeline.movie.file));
    add_rate(file, timeline.rate);
    add_element(file, "duration", std::to_string(media_frames));
    add_timecode(file, timeline.movie.media_start(timeline.start));
    xmlNode* media = add_element(file, "media");
    xmlNode* sample = add_element(add_element(media, "video"), "samplecharacteristics");
    add_element(sample, "width", std::to_string(timeline.width));
    add_element(sample, "height", std::to_string(timeline.height));
    xmlNode* sound = add_element(media, "audio");
    add_element(sound, "channelcount", "2");
    xmlNode* source = add_element(item, "sourcetrack");
    add_element(source, "mediatype", "audio");
    add_element(source, "trackindex", "1");
}

}  // namespace

std::string write_xmeml(const CutListTimeline& timeline) {
    xmlNode* root = nullptr;
    XmlDocument document = new_xml_document("xmeml", &root);
    set_attribute(root, "version", "5");
    xmlNode* sequence = add_element(root, "sequence");
    set_attribute(sequence, "id", "sequence-1");
    add_element(sequence, "name", timeline.title);
    add_element(sequence, "duration", std::to_string(timeline.frame_count));
    add_rate(sequence, timeline.rate);
    add_timecode(sequence, timeline.start);
    xmlNode* media = add_element(sequence, "media");
    xmlNode* video = add_element(media, "video");
    xmlNode* sample = add_element(add_element(video, "format"), "samplecharacteristics");
    add_rate(sample, timeline.rate);
    add_element(sample, "width", std::to_string(timeline.width));
    add_element(sample, "height", std::to_string(timeline.height));
    add_element(sample, "pixelaspectratio", "square");
    FileTable files;
    add_video_track(video, timeline, files);
    xmlNode* audio = add_element(media, "audio");
    if (timeline.movie.has_audio) add_movie_audio(audio, timeline, files);
    return serialize_xml(document.get());
}

}  // namespace storyreel
