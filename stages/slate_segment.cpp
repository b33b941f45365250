#include "stages/slate_segment.h"

#include <algorithm>

#include "pipeline/content_hash.h"
#include "stages/segment_writer.h"
#include "stages/slate_card.h"

namespace storyreel {

SlateSegment describe_slate_segment(const SlateSpec& slate, const Project& project,
                                    const CutPlan& plan, const OutputUnit& unit,
                                    const std::string& settings_text) {
    SlateSegment segment;
    segment.frames = slate.frames;
    segment.lines = slate_lines(slate, project, plan, unit);
    ContentHasher hasher;
    hasher.add("storyreel slate segment v1").add(settings_text).add(slate.fingerprint());
    for (const auto& line : segment.lines) hasher.add(line.label).add(line.value);
    segment.key = hasher.digest();
    return segment;
}

std::filesystem::path slate_segment_file(const SlateSegment& segment, const SlateSpec& slate,
                                         const ShowSettings& show, const EncodeSettings& settings,
                                         ArtifactCache& cache, const std::string& label) {
    if (auto found = cache.find(segment.key)) return *found;
    PendingEntry entry = cache.begin(segment.key, "segment.mov");
    try {
        SegmentWriter writer(settings, show, entry.artifact, label);
        writer.add_panel(render_slate_card(slate, segment.lines, show.width, show.height),
                         segment.frames);
        writer.finish();
    } catch (...) {
        cache.discard(entry);
        throw;
    }
    return cache.publish(entry);
}

Timecode timecode_before(const Timecode& start, std::int64_t preroll) {
    return Timecode(std::max<std::int64_t>(0, start.frames() - preroll), start.rate(),
                    start.drop_frame());
}

}  // namespace storyreel
