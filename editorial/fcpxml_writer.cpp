#include "editorial/fcpxml_writer.h"

#include <numeric>

#include "editorial/xml_tree.h"

namespace storyreel {

namespace {

constexpr const char* kSequenceFormat = "r1";
constexpr const char* kMovieAsset = "r2";

void add_format(xmlNode* resources, const CutListTimeline& timeline) {
    xmlNode* format = add_element(resources, "format");
    set_attribute(format, "id", kSequenceFormat);
    set_attribute(format, "frameDuration", fcpxml_time(1, timeline.rate));
    set_attribute(format, "width", std::to_string(timeline.width));
    set_attribute(format, "height", std::to_string(timeline.height));
    set_attribute(format, "colorSpace", "1-1-1 (Rec. 709)");
}

void add_movie_asset(xmlNode* resources, const CutListTimeline& timeline) {
    xmlNode* asset = add_element(resources, "asset");
    set_attribute(asset, "id", kMovieAsset);
    set_attribute(asset, "name", timeline.movie.file.stem().string());
    // The media: the slate (if any) then the cut; clips into it start at the cut's timecode.
    set_attribute(asset, "start",
                  fcpxml_time(timeline.movie.media_start(timeline.start).frames(), timeline.rate));
    set_attribute(asset, "duration",
                  fcpxml_time(timeline.movie.slate_frames + timeline.frame_count, timeline.rate));
    set_attribute(asset, "hasVideo", "1");
    set_attribute(asset, "format", kSequenceFormat);
    set_attribute(asset, "videoSources", "1");
    if (timeline.movie.has_audio) {
        set_attribute(asset, "hasAudio", "1");
        set_attribute(asset, "audioSources", "1");
        set_attribute(asset, "audioChannels", "2");
        set_attribute(asset, "audioRate", "48000");
    }
    set_attribute(add_element(asset, "media-rep"), "src", file_url(timeline.movie.file));
}

/// Final Cut Pro's Cross Dissolve (its FxPlug transition).
constexpr const char* kCrossDissolveUid = "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265";

/// The movie's audio, connected below the first spine element for the whole unit;
/// `offset` is the unit's first frame in that element's own time.
void add_movie_audio(xmlNode* first_element, const CutListTimeline& timeline,
                     const std::string& offset) {
    xmlNode* audio = add_element(first_element, "asset-clip");
    set_attribute(audio, "ref", kMovieAsset);
    set_attribute(audio, "lane", "-1");
    set_attribute(audio, "offset", offset);
    set_attribute(audio, "name", timeline.movie.file.filename().string());
    set_attribute(audio, "start", fcpxml_time(timeline.start.frames(), timeline.rate));
    set_attribute(audio, "duration", fcpxml_time(timeline.frame_count, timeline.rate));
    set_attribute(audio, "srcEnable", "audio");
    set_attribute(audio, "audioRole", "dialogue");
}

/// Writes the spine. Each panel is an <asset-clip> of the movie (the movie cut up, as
/// editors' tools and OTIO's fcpx_xml adapter expect; its media time is the movie's
/// timecode). A transition overlaps the last frames of the element before it and the first
/// frames of the one after (the DTD's rule), so a dissolve's clips extend past their cuts
/// by its frames, and black is a gap that fades dissolve to or from.
class SpineWriter {
  public:
    SpineWriter(xmlNode* spine, const CutListTimeline& timeline, std::string dissolve_effect)
        : spine_(spine), timeline_(timeline), dissolve_effect_(std::move(dissolve_effect)) {}

    void write() {
        const auto items = timeline_.track_items();
        for (std::size_t k = 0; k < items.size(); ++k) {
            if (items[k].transition) {
                add_transition_elements(*items[k].transition);
                continue;
            }
            const CutListTransition* head =
                k > 0 && items[k - 1].transition ? &*items[k - 1].transition : nullptr;
            const CutListTransition* tail = k + 1 < items.size() && items[k + 1].transition
                                                ? &*items[k + 1].transition
                                                : nullptr;
            add_panel(items[k].clip, head, tail);
        }
    }

  private:
    std::string offset_of(std::int64_t record_frame) const {
        return fcpxml_time(timeline_.start.frames() + record_frame, timeline_.rate);
    }
    std::string time(std::int64_t frames) const { return fcpxml_time(frames, timeline_.rate); }

    /// `local_start`: the element's own time at its first record frame `record_first`.
    void added(xmlNode* element, std::int64_t local_start, std::int64_t record_first) {
        if (!first_ && timeline_.movie.has_audio)
            add_movie_audio(element, timeline_, time(local_start - record_first));
        if (!first_) first_ = element;
    }

    void add_panel(std::size_t index, const CutListTransition* head,
                   const CutListTransition* tail) {
        const CutListClip& clip = timeline_.clips[index];
        const auto dissolve = CutListTransitionKind::Dissolve;
        const std::int64_t before = head && head->kind == dissolve ? head->before : 0;
        const std::int64_t after = tail && tail->kind == dissolve ? tail->after : 0;
        const std::int64_t first = clip.record_start - before;
        const std::int64_t media_first = timeline_.start.frames() + first;  // the movie's timecode
        xmlNode* element = add_element(spine_, "asset-clip");
        set_attribute(element, "ref", kMovieAsset);
        set_attribute(element, "offset", offset_of(first));
        set_attribute(element, "name", clip.name);
        set_attribute(element, "start", time(media_first));
        set_attribute(element, "duration", time(before + clip.frames + after));
        if (timeline_.movie.has_audio) set_attribute(element, "srcEnable", "video");
        added(element, media_first, first);
        if (!clip.dialogue.empty()) {  // in the clip's media time: from the panel's own cut
            xmlNode* marker = add_element(element, "marker");
            set_attribute(marker, "start", time(media_first + before));
            set_attribute(marker, "duration", time(clip.frames));
            set_attribute(marker, "value", clip.dialogue);
        }
    }

    void add_dissolve(std::int64_t first_frame, std::int64_t frames, const char* name) {
        if (frames <= 0) return;
        xmlNode* transition = add_element(spine_, "transition");
        set_attribute(transition, "name", name);
        set_attribute(transition, "offset", offset_of(first_frame));
        set_attribute(transition, "duration", time(frames));
        xmlNode* filter = add_element(transition, "filter-video");
        set_attribute(filter, "ref", dissolve_effect_);
        set_attribute(filter, "name", "Cross Dissolve");
    }

    void add_black(std::int64_t first_frame, std::int64_t frames) {
        xmlNode* gap = add_element(spine_, "gap");
        set_attribute(gap, "name", "Black");
        set_attribute(gap, "offset", offset_of(first_frame));
        set_attribute(gap, "duration", time(frames));
        added(gap, 0, first_frame);
    }

    void add_transition_elements(const CutListTransition& t) {
        switch (t.kind) {
            case CutListTransitionKind::Dissolve:
                add_dissolve(t.first_frame(), t.frames(), "Cross Dissolve");
                break;
            case CutListTransitionKind::DipToBlack: {
                const std::int64_t to_black = t.frames() / 2;  // black at the middle
                add_dissolve(t.first_frame(), to_black, "Fade Out");
                add_black(t.first_frame(), t.frames());
                add_dissolve(t.first_frame() + to_black, t.frames() - to_black, "Fade In");
                break;
            }
            case CutListTransitionKind::FadeIn:
                add_black(t.cut, t.after);
                add_dissolve(t.cut, t.after, "Fade In");
                break;
            case CutListTransitionKind::FadeOut:
                add_dissolve(t.first_frame(), t.before, "Fade Out");
                add_black(t.first_frame(), t.before);
                break;
        }
    }

    xmlNode* spine_;
    const CutListTimeline& timeline_;
    std::string dissolve_effect_;
    xmlNode* first_ = nullptr;
};

/// The Cross Dissolve effect resource when the cut has transitions (its id), else "".
std::string add_dissolve_effect(xmlNode* resources, const CutListTimeline& timeline) {
    if (timeline.transitions.empty()) return {};
    const std::string id = "r3";
    xmlNode* effect = add_element(resources, "effect");
    set_attribute(effect, "id", id);
    set_attribute(effect, "name", "Cross Dissolve");
    set_attribute(effect, "uid", kCrossDissolveUid);
    return id;
}

}  // namespace

std::string fcpxml_time(std::int64_t frames, FrameRate rate) {
    if (frames == 0) return "0s";
    std::int64_t num = frames * rate.den;
    std::int64_t den = rate.num;
    const std::int64_t divisor = std::gcd(num, den);
    num /= divisor;
    den /= divisor;
    return den == 1 ? std::to_string(num) + "s"
                    : std::to_string(num) + "/" + std::to_string(den) + "s";
}

std::string write_fcpxml(const CutListTimeline& timeline) {
    xmlNode* root = nullptr;
    XmlDocument document = new_xml_document("fcpxml", &root);
    set_attribute(root, "version", "1.10");
    xmlNode* resources = add_element(root, "resources");
    add_format(resources, timeline);
    add_movie_asset(resources, timeline);
    const std::string dissolve = add_dissolve_effect(resources, timeline);
    xmlNode* event = add_element(add_element(root, "library"), "event");
    set_attribute(event, "name", timeline.title);
    xmlNode* project = add_element(event, "project");
    set_attribute(project, "name", timeline.unit);
    xmlNode* sequence = add_element(project, "sequence");
    set_attribute(sequence, "format", kSequenceFormat);
    set_attribute(sequence, "duration", fcpxml_time(timeline.frame_count, timeline.rate));
    set_attribute(sequence, "tcStart", fcpxml_time(timeline.start.frames(), timeline.rate));
    set_attribute(sequence, "tcFormat", timeline.start.drop_frame() ? "DF" : "NDF");
    set_attribute(sequence, "audioLayout", "stereo");
    set_attribute(sequence, "audioRate", "48k");
    SpineWriter(add_element(sequence, "spine"), timeline, dissolve).write();
    return serialize_xml(document.get());
}

}  // namespace storyreel
