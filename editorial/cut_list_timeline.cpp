#include "editorial/cut_list_timeline.h"

#include <cctype>
#include <cstdio>

namespace storyreel {

CutListTimeline make_cut_list_timeline(const CutPlan& plan, const OutputUnit& unit,
                                       const ShowSettings& show, CutListMovie movie) {
    CutListTimeline timeline;
    timeline.title = show.name + " " + unit.name;
    timeline.unit = unit.name;
    timeline.rate = show.frame_rate;
    timeline.start = unit.start_timecode;
    timeline.width = show.width;
    timeline.height = show.height;
    timeline.frame_count = unit.frame_count;
    timeline.movie = std::move(movie);
    for (std::size_t index : unit.slots) {
        const PanelSlot& slot = plan.slots[index];
        timeline.clips.push_back(CutListClip{slot.name(), slot.panel->board, slot.unit_start_frame,
                                             slot.frames(), slot.panel->dialogue});
    }
    return timeline;
}

const CutListTransition* CutListTimeline::transition_into(std::size_t index) const {
    for (const auto& transition : transitions)
        if (transition.clip == index && transition.kind != CutListTransitionKind::FadeOut)
            return &transition;
    return nullptr;
}

const CutListTransition* CutListTimeline::fade_out_of(std::size_t index) const {
    for (const auto& transition : transitions)
        if (transition.clip == index && transition.kind == CutListTransitionKind::FadeOut)
            return &transition;
    return nullptr;
}

std::vector<CutListTrackItem> CutListTimeline::track_items() const {
    std::vector<CutListTrackItem> items;
    for (std::size_t i = 0; i < clips.size(); ++i) {
        if (const CutListTransition* into = transition_into(i)) {
            if (!items.empty() && items.back().transition) items.pop_back();
            items.push_back({i, *into});
        }
        items.push_back({i, std::nullopt});
        if (const CutListTransition* out = fade_out_of(i)) items.push_back({i, *out});
    }
    return items;
}

std::vector<CutListTrackItem> CutListTimeline::track_items_through_black() const {
    std::vector<CutListTrackItem> items;
    for (auto& item : track_items()) {
        if (!item.transition || item.transition->kind != CutListTransitionKind::DipToBlack) {
            items.push_back(std::move(item));
            continue;
        }
        const CutListTransition& dip = *item.transition;
        const std::int64_t black = dip.black_frame();
        if (black > dip.first_frame())
            items.push_back(
                {item.clip - 1, CutListTransition{CutListTransitionKind::FadeOut, item.clip - 1,
                                                  black, black - dip.first_frame(), 0}});
        const std::int64_t end = dip.cut + dip.after;
        if (end > black)
            items.push_back({item.clip, CutListTransition{CutListTransitionKind::FadeIn, item.clip,
                                                          black, 0, end - black}});
    }
    return items;
}

CutListClipSpan CutListTimeline::clip_span(const std::vector<CutListTrackItem>& items,
                                           std::size_t index) const {
    const CutListClip& clip = clips[items[index].clip];
    CutListClipSpan span{clip.record_start, clip.record_start + clip.frames, clip.record_start,
                         clip.record_start + clip.frames, clip.record_start};
    const std::size_t self = items[index].clip;
    if (index > 0 && items[index - 1].transition && items[index - 1].transition->clip == self) {
        const CutListTransition& head = *items[index - 1].transition;  // leads into it
        span.cut_in = head.cut;
        span.shown_from = head.first_frame();
        span.head = head;
    }
    if (index + 1 < items.size() && items[index + 1].transition) {
        const CutListTransition& tail = *items[index + 1].transition;
        const bool out_of_it = tail.kind == CutListTransitionKind::FadeOut
                                   ? tail.clip == self
                                   : tail.between_clips() && tail.clip == self + 1;
        if (out_of_it) {
            span.cut_out = tail.cut;
            span.shown_to = tail.cut + tail.after;
            span.tail = tail;
        }
    }
    return span;
}

std::string editorial_reel_name(const std::string& text) {
    std::string reel = text.substr(0, 8);
    for (char& c : reel)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    return reel;
}

std::string file_url(const std::filesystem::path& absolute_path) {
    std::string url = "file://";
    for (unsigned char c : absolute_path.generic_string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            url += static_cast<char>(c);
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            url += escaped;
        }
    }
    return url;
}

std::filesystem::path path_from_url(const std::string& url) {
    std::string text = url;
    for (const char* prefix : {"file://localhost", "file://"})
        if (text.rfind(prefix, 0) == 0) {
            text = text.substr(std::string(prefix).size());
            break;
        }
    std::string decoded;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            decoded += text[i];
        }
    }
    return decoded;
}

}  // namespace storyreel
