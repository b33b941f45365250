#include "editorial/fcpxml_writer.h"

#include <map>
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
    set_attribute(asset, "start", fcpxml_time(timeline.movie.media_start(timeline.start).frames(), timeline.rate));
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

/// One still asset per distinct board; returns the asset id of every clip.
std::vector<std::string> add_board_assets(xmlNode* resources, const CutListTimeline& timeline) {
    std::map<std::filesystem::path, std::string> ids;
    std::vector<std::string> clip_assets;
    for (const auto& clip : timeline.clips) {
        auto [it, inserted] = ids.emplace(clip.board, "r" + std::to_string(ids.size() + 3));
        clip_assets.push_back(it->second);
        if (!inserted) continue;
        xmlNode* asset = add_element(resources, "asset");
        set_attribute(asset, "id", it->second);
        set_attribute(asset, "name", clip.board.stem().string());
        set_attribute(asset, "start", "0s");
        set_attribute(asset, "duration", "0s");
        set_attribute(asset, "hasVideo", "1");
        set_attribute(asset, "format", kSequenceFormat);
        set_attribute(asset, "videoSources", "1");
        set_attribute(add_element(asset, "media-rep"), "src", file_url(clip.board));
    }
    return clip_assets;
}

/// The movie's audio, connected below the first panel for the whole unit.
void add_movie_audio(xmlNode* first_panel, const CutListTimeline& timeline) {
    xmlNode* audio = add_element(first_panel, "asset-clip");
    set_attribute(audio, "ref", kMovieAsset);
    set_attribute(audio, "lane", "-1");
    set_attribute(audio, "offset", "0s");
    set_attribute(audio, "name", timeline.movie.file.filename().string());
    set_attribute(audio, "start", fcpxml_time(timeline.start.frames(), timeline.rate));
    set_attribute(audio, "duration", fcpxml_time(timeline.frame_count, timeline.rate));
    set_attribute(audio, "srcEnable", "audio");
    set_attribute(audio, "audioRole", "dialogue");
}

void add_spine(xmlNode* spine, const CutListTimeline& timeline,
               const std::vector<std::string>& clip_assets) {
    for (std::size_t i = 0; i < timeline.clips.size(); ++i) {
        const CutListClip& clip = timeline.clips[i];
        xmlNode* video = add_element(spine, "video");
        set_attribute(video, "ref", clip_assets[i]);
        set_attribute(video, "offset",
                      fcpxml_time(timeline.start.frames() + clip.record_start, timeline.rate));
        set_attribute(video, "name", clip.name);
        set_attribute(video, "start", "0s");
        set_attribute(video, "duration", fcpxml_time(clip.frames, timeline.rate));
        if (i == 0 && timeline.movie.has_audio) add_movie_audio(video, timeline);
        if (!clip.dialogue.empty()) {
            xmlNode* marker = add_element(video, "marker");
            set_attribute(marker, "start", "0s");
            set_attribute(marker, "duration", fcpxml_time(clip.frames, timeline.rate));
            set_attribute(marker, "value", clip.dialogue);
        }
    }
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
    const auto clip_assets = add_board_assets(resources, timeline);
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
    add_spine(add_element(sequence, "spine"), timeline, clip_assets);
    return serialize_xml(document.get());
}

}  // namespace storyreel
