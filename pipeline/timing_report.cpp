#include "pipeline/timing_report.h"

#include <cstdio>

#include "pipeline/atomic_file.h"
#include "pipeline/timing_markers.h"

namespace storyreel {

std::string timing_table(const CutPlan& plan) {
    std::size_t width = 5;
    for (const auto& slot : plan.slots) width = std::max(width, slot.name().size());
    std::string text;
    char line[512];
    std::snprintf(line, sizeof line, "%-*s  %-11s  %7s  %-9s  %s\n", static_cast<int>(width),
                  "panel", "start", "frames", "source", "detail");
    text += line;
    for (const auto& slot : plan.slots) {
        const OutputUnit& unit = plan.units[slot.unit];
        std::snprintf(line, sizeof line, "%-*s  %-11s  %7lld  %-9s  %s\n", static_cast<int>(width),
                      slot.name().c_str(),
                      unit.start_timecode.plus(slot.unit_start_frame).to_string().c_str(),
                      static_cast<long long>(slot.frames()), slot.panel->timing.source.c_str(),
                      slot.panel->timing.detail.c_str());
        text += line;
    }
    return text;
}

std::string onset_labels_name(const Sequence& sequence) {
    return sequence.name + "_dialogue_onsets.txt";
}

std::string onset_labels_text(const Sequence& sequence) {
    std::vector<TimingMarker> markers;
    for (const auto& line : sequence.detected_lines)
        markers.push_back({line.panel.empty() ? "(unused)" : line.panel, line.span.start,
                           line.span.end, {}});
    return audacity_labels_text(markers);
}

std::vector<std::filesystem::path> write_onset_labels(const Project& project,
                                                      const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> written;
    for (const auto& sequence : project.sequences) {
        if (sequence.timing.mode != TimingMode::Dialogue) continue;
        written.push_back(dir / onset_labels_name(sequence));
        write_file_atomically(written.back(), onset_labels_text(sequence));
    }
    return written;
}

nlohmann::json sequence_timing_json(const Project& project) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& sequence : project.sequences) {
        const SequenceTiming& timing = sequence.timing;
        nlohmann::json entry = {{"sequence", sequence.name}, {"mode", timing_mode_name(timing.mode)}};
        if (timing.mode != TimingMode::Explicit) {
            const AudioTrack* track = nullptr;
            for (const auto& candidate : sequence.audio)
                if (timing.track.empty() ? !track : candidate.file == timing.track) track = &candidate;
            if (track) {
                entry["track"] = track->file.string();
                entry["track_offset_samples"] = track->offset_samples;
            }
        }
        if (!timing.markers.empty()) entry["markers"] = timing.markers.string();
        if (timing.mode == TimingMode::Dialogue) {
            nlohmann::json lines = nlohmann::json::array();
            for (const auto& line : sequence.detected_lines)
                lines.push_back({{"start_seconds", line.span.start},
                                 {"end_seconds", line.span.end},
                                 {"panel", line.panel}});
            entry["detected_lines"] = lines;
            entry["labels_file"] = onset_labels_name(sequence);
        }
        list.push_back(entry);
    }
    return list;
}

}  // namespace storyreel
