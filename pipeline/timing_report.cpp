#include "pipeline/timing_report.h"

#include <algorithm>
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

namespace {

/// Words mode: each found line as a region from its cut (first word minus the pre-roll) to
/// its last word, labelled with its panel; speech on no panel as "(unmatched)"; with
/// word_labels, each word as "(word TEXT)". Lines not found have no time and no label.
std::vector<TimingMarker> word_markers(const Sequence& sequence) {
    std::vector<TimingMarker> markers;
    for (const auto& line : sequence.detected_lines) {
        if (line.unmatched) {
            markers.push_back({"(unmatched)", line.span.start, line.span.end, {}});
            continue;
        }
        if (line.status == LineStatus::NotFound) continue;
        markers.push_back({line.panel, line.cut_seconds, line.span.end, {}});
        if (!sequence.timing.words.word_labels) continue;
        for (const auto& word : line.words)
            markers.push_back({"(word " + word.text + ")", word.start, word.end, {}});
    }
    std::stable_sort(
        markers.begin(), markers.end(),
        [](const TimingMarker& a, const TimingMarker& b) { return a.seconds < b.seconds; });
    return markers;
}

bool writes_labels(const Sequence& sequence) {
    return sequence.timing.mode == TimingMode::Dialogue ||
           sequence.timing.mode == TimingMode::Words;
}

}  // namespace

std::string onset_labels_text(const Sequence& sequence) {
    if (sequence.timing.mode == TimingMode::Words && !sequence.detected_lines.empty() &&
        sequence.detected_lines.front().status)
        return audacity_labels_text(word_markers(sequence));
    std::vector<TimingMarker> markers;
    for (const auto& line : sequence.detected_lines)
        markers.push_back(
            {line.panel.empty() ? "(unused)" : line.panel, line.span.start, line.span.end, {}});
    return audacity_labels_text(markers);
}

std::string words_status_text(const Sequence& sequence) {
    std::string text;
    char line[640];
    for (const auto& detected : sequence.detected_lines) {
        if (detected.unmatched) {
            std::snprintf(
                line, sizeof line,
                "  %-14s  %-11s  %10s  %8.3f s  speech that is no panel's line (to %.3f s)\n", "-",
                "unmatched", "", detected.span.start, detected.span.end);
        } else if (detected.status == LineStatus::NotFound) {
            std::snprintf(line, sizeof line, "  %-14s  %-11s  %10s  %10s  \"%s\"\n",
                          detected.panel.c_str(), "not found", "", "", detected.text.c_str());
        } else {
            char confidence[32] = "";
            if (detected.status == LineStatus::Aligned)
                std::snprintf(confidence, sizeof confidence, "conf %.2f", detected.confidence);
            std::snprintf(line, sizeof line, "  %-14s  %-11s  %10s  %8.3f s  \"%s\"\n",
                          detected.panel.c_str(),
                          detected.status ? line_status_name(*detected.status) : "", confidence,
                          detected.span.start, detected.text.c_str());
        }
        text += line;
    }
    return text;
}

std::vector<std::filesystem::path> write_onset_labels(const Project& project,
                                                      const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> written;
    for (const auto& sequence : project.sequences) {
        if (!writes_labels(sequence)) continue;
        written.push_back(dir / onset_labels_name(sequence));
        write_file_atomically(written.back(), onset_labels_text(sequence));
    }
    return written;
}

nlohmann::json sequence_timing_json(const Project& project) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& sequence : project.sequences) {
        const SequenceTiming& timing = sequence.timing;
        nlohmann::json entry = {{"sequence", sequence.name},
                                {"mode", timing_mode_name(timing.mode)}};
        if (timing.mode != TimingMode::Explicit) {
            const AudioTrack* track = nullptr;
            for (const auto& candidate : sequence.audio)
                if (timing.track.empty() ? !track : candidate.file == timing.track)
                    track = &candidate;
            if (track) {
                entry["track"] = track->file.string();
                entry["track_offset_samples"] = track->offset_samples;
            }
        }
        if (!timing.markers.empty()) entry["markers"] = timing.markers.string();
        if (writes_labels(sequence)) {
            nlohmann::json lines = nlohmann::json::array();
            for (const auto& line : sequence.detected_lines) {
                nlohmann::json item = {{"start_seconds", line.span.start},
                                       {"end_seconds", line.span.end},
                                       {"panel", line.panel}};
                if (line.status) {
                    item["status"] = line_status_name(*line.status);
                    item["text"] = line.text;
                    if (*line.status != LineStatus::NotFound)
                        item["cut_seconds"] = line.cut_seconds;
                    if (*line.status == LineStatus::Aligned) item["confidence"] = line.confidence;
                    nlohmann::json words = nlohmann::json::array();
                    for (const auto& word : line.words)
                        words.push_back({{"word", word.text},
                                         {"start_seconds", word.start},
                                         {"end_seconds", word.end}});
                    item["words"] = words;
                }
                if (line.unmatched) item["status"] = "unmatched";
                lines.push_back(item);
            }
            entry["detected_lines"] = lines;
            entry["labels_file"] = onset_labels_name(sequence);
        }
        list.push_back(entry);
    }
    return list;
}

}  // namespace storyreel
