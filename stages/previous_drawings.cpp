#include "stages/previous_drawings.h"

#include "media/segment_reader.h"
#include "pipeline/diagnostics.h"

namespace storyreel {

std::optional<PreviousDrawings> PreviousDrawings::find(
    const std::optional<ShotIngredients>& previous, const std::string& settings,
    ArtifactCache& cache) {
    if (!previous || previous->settings != settings || previous->panels.empty())
        return std::nullopt;
    for (const auto& panel : previous->panels)
        if (!panel.look.empty()) return std::nullopt;  // not one packet per drawing
    auto segment = cache.find(previous->key());
    if (!segment) return std::nullopt;
    PreviousDrawings drawings;
    drawings.segment_ = *segment;
    drawings.drawings_ = previous->panels.size();
    for (std::size_t i = 0; i < previous->panels.size(); ++i)
        drawings.index_.emplace(previous->panels[i].content_hash, i);
    return drawings;
}

av::PacketPtr PreviousDrawings::packet(const std::string& content_hash,
                                       AVRational frame_time_base) {
    if (packets_.empty()) {
        SegmentReader reader(segment_, frame_time_base, true);
        auto packet = av::make_packet();
        std::int64_t frames = 0;
        while (reader.next(packet.get(), frames)) {
            packets_.emplace_back(av_packet_clone(packet.get()));
            av_packet_unref(packet.get());
        }
    }
    const auto found = index_.find(content_hash);
    if (packets_.size() != drawings_ || found == index_.end())
        throw BuildError({{segment_.string(), 0, 0},
                          "shot cache",
                          "the segment holds " + std::to_string(packets_.size()) +
                              " drawings, its build record lists " + std::to_string(drawings_),
                          "remove the cache folder's entry (storyreel cache gc) and build again"});
    av::PacketPtr copy(av_packet_clone(packets_[found->second].get()));
    if (!copy) throw std::bad_alloc();
    return copy;
}

}  // namespace storyreel
