#include "editorial/xmeml_writer.h"

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

/// FCP 7's alignment of a transition on its cut.
const char* alignment_of(const CutListTransition& transition) {
    if (transition.kind == CutListTransitionKind::FadeIn) return "start-black";
    if (transition.kind == CutListTransitionKind::FadeOut) return "end-black";
    if (transition.before == 0) return "start";
    if (transition.after == 0) return "end";
    return "center";
}

void add_transition_item(xmlNode* track, const CutListTimeline& timeline, const CutListTransition& transition) {
    xmlNode* item = add_element(track, "transitionitem");
    add_rate(item, timeline.rate);
    add_element(item, "start", std::to_string(transition.first_frame()));
    add_element(item, "end", std::to_string(transition.cut + transition.after));
    add_element(item, "alignment", alignment_of(transition));
    // A dip to black is FCP 7's "Fade In Fade Out Dissolve"; fades are Cross Dissolves
    // from / to black (their alignment says which).
    const char* effect_name = transition.kind == CutListTransitionKind::DipToBlack ? "Fade In Fade Out Dissolve"
                                                                                  : "Cross Dissolve";
    xmlNode* effect = add_element(item, "effect");
    add_element(effect, "name", effect_name);
    add_element(effect, "effectid", effect_name);
    add_element(effect, "effectcategory", "Dissolve");
    add_element(effect, "effecttype", "transition");
    add_element(effect, "mediatype", "video");
}

/// The transitions next to a clip in the track (null where there is none).
struct Neighbours {
    const CutListTransition* head = nullptr;
    const CutListTransition* tail = nullptr;
};

/// FCP 7 writes -1 for a clip's start (end) when a transition next to it decides the cut,
/// and lets in/out include the frames the transition shows of it.
void add_clip_range(xmlNode* item, const CutListClip& clip, const Neighbours& next_to) {
    const bool head = next_to.head && next_to.head->after > 0;
    const bool tail = next_to.tail && next_to.tail->before > 0;
    const std::int64_t handle_in = head ? next_to.head->before : 0;
    const std::int64_t handle_out = tail ? next_to.tail->after : 0;
    add_range(item, head ? -1 : clip.record_start, tail ? -1 : clip.record_start + clip.frames, 0,
              handle_in + clip.frames + handle_out);
}

void add_board_clip(xmlNode* track, const CutListTimeline& timeline, std::size_t index,
                    const Neighbours& next_to, FileTable& files) {
    const CutListClip& clip = timeline.clips[index];
    xmlNode* item = add_element(track, "clipitem");
    set_attribute(item, "id", "clipitem-" + std::to_string(index + 1));
    add_element(item, "name", clip.name);
    add_element(item, "enabled", "TRUE");
    add_element(item, "duration", std::to_string(clip.frames));
    add_rate(item, timeline.rate);
    add_clip_range(item, clip, next_to);
    add_element(item, "stillframe", "TRUE");
    bool first_use = false;
    xmlNode* file = files.add(item, clip.board, first_use);
    if (first_use) {
        add_element(file, "name", clip.board.filename().string());
        add_element(file, "pathurl", fcp7_url(clip.board));
        add_rate(file, timeline.rate);
        add_element(file, "duration", std::to_string(clip.frames));
        xmlNode* video = add_element(add_element(file, "media"), "video");
        xmlNode* sample = add_element(video, "samplecharacteristics");
        add_element(sample, "width", std::to_string(timeline.width));
        add_element(sample, "height", std::to_string(timeline.height));
    }
    if (!clip.dialogue.empty()) {
        xmlNode* marker = add_element(item, "marker");
        add_element(marker, "name", clip.dialogue);
        add_element(marker, "comment", clip.dialogue);
        add_element(marker, "in", "0");
        add_element(marker, "out", std::to_string(clip.frames));
    }
}

void add_video_track(xmlNode* video, const CutListTimeline& timeline, FileTable& files) {
    xmlNode* track = add_element(video, "track");
    const auto items = timeline.track_items();
    for (std::size_t k = 0; k < items.size(); ++k) {
        if (items[k].transition) {
            add_transition_item(track, timeline, *items[k].transition);
            continue;
        }
        Neighbours next_to;
        if (k > 0) next_to.head = items[k - 1].transition;
        if (k + 1 < items.size()) next_to.tail = items[k + 1].transition;
        add_board_clip(track, timeline, items[k].clip, next_to, files);
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
