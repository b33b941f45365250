// unspoken_line: with a dialogue track, dialogue panels with no speech under them and
// speech with no dialogue panel over it (the engine's speech detector, through the
// injected AudioAnalyzer).
#include <algorithm>

#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

struct TimedSpeech {
    double start = 0, end = 0;  ///< seconds from the start of the whole cut
    std::string file;
};

/// Speech on the dialogue tracks of a sequence (role dialogue, or the timing track of a
/// dialogue-timed sequence) and of the project, in cut seconds.
std::vector<const AudioTrack*> dialogue_tracks(const Sequence& sequence) {
    std::vector<const AudioTrack*> tracks;
    for (const auto& track : sequence.audio)
        if (!track.mute && (track.role == "dialogue" || track.file == sequence.timing.track))
            tracks.push_back(&track);
    return tracks;
}

std::vector<TimedSpeech> speech_in(const CheckContext& context, const Sequence& sequence,
                                   double sequence_start) {
    std::vector<TimedSpeech> speech;
    const std::vector<const AudioTrack*> tracks = dialogue_tracks(sequence);
    for (const AudioTrack* track : tracks) {
        for (const auto& span : context.audio->detect_speech(track->file, sequence.timing.speech)) {
            const double offset = sequence_start + track->offset_samples / double(kAudioSampleRate);
            speech.push_back(
                {span.start + offset, span.end + offset, track->file.filename().string()});
        }
    }
    return speech;
}

void check_sequence(const CheckContext& context, const Sequence& sequence,
                    std::vector<Finding>& findings) {
    const auto slots = context.slots_of(sequence);
    if (slots.empty() || dialogue_tracks(sequence).empty()) return;
    const double start = context.seconds(slots.front()->cut_start_frame);
    const std::vector<TimedSpeech> speech = speech_in(context, sequence, start);
    auto overlaps = [](double a0, double a1, double b0, double b1) {
        return std::min(a1, b1) - std::max(a0, b0) > 0.05;
    };
    for (const auto* slot : slots) {
        if (slot->panel->dialogue.empty()) continue;
        const double p0 = context.seconds(slot->cut_start_frame),
                     p1 = p0 + context.seconds(slot->frames());
        const bool spoken = std::any_of(speech.begin(), speech.end(), [&](const TimedSpeech& s) {
            return overlaps(p0, p1, s.start, s.end);
        });
        if (spoken) continue;
        Finding finding = context.at_panel(*slot, "unspoken_line", Severity::Warning);
        finding.measured = 0;
        finding.unit = "s of speech";
        finding.message =
            "the panel has dialogue, but no speech is heard under it on the dialogue track";
        finding.hint = "line the panel up with its line in the track, or record the line";
        findings.push_back(std::move(finding));
    }
    for (const auto& line : speech) {
        const PanelSlot* under = nullptr;
        bool covered = false;
        for (const auto* slot : slots) {
            const double p0 = context.seconds(slot->cut_start_frame),
                         p1 = p0 + context.seconds(slot->frames());
            if (line.start >= p0 && line.start < p1) under = slot;
            covered = covered ||
                      (!slot->panel->dialogue.empty() && overlaps(p0, p1, line.start, line.end));
        }
        if (covered || !under) continue;
        const auto into = static_cast<std::int64_t>(
            (line.start - context.seconds(under->cut_start_frame)) *
            context.project.show.frame_rate.num / context.project.show.frame_rate.den);
        Finding finding = context.at_panel(*under, "unspoken_line", Severity::Warning);
        finding.record_in = context.record_timecode(*under, into);
        finding.measured = line.end - line.start;
        finding.unit = "s of speech";
        finding.message = format_number(line.end - line.start) + " s of speech in " + line.file +
                          " with no dialogue panel over it";
        finding.hint = "write the line into the panel's dialogue, or move the line to its panel";
        findings.push_back(std::move(finding));
    }
}

/// Words timing knows more than energy: which panel's line was not found in the track, and
/// which speech is no panel's line.
bool check_words(const CheckContext& context, const Sequence& sequence,
                 std::vector<Finding>& findings) {
    if (sequence.timing.mode != TimingMode::Words || sequence.detected_lines.empty() ||
        (!sequence.detected_lines.front().status && !sequence.detected_lines.front().unmatched))
        return false;
    const auto slots = context.slots_of(sequence);
    if (slots.empty()) return true;
    const double start = context.seconds(slots.front()->cut_start_frame);
    double offset = start;  // the timing track's time 0, in cut seconds
    for (const auto& track : sequence.audio) {
        if (sequence.timing.track.empty() || track.file == sequence.timing.track) {
            offset += track.offset_samples / double(kAudioSampleRate);
            break;
        }
    }
    for (const auto& line : sequence.detected_lines) {
        if (line.unmatched) {
            const double at = line.span.start + offset;
            const PanelSlot* under = slots.front();
            for (const auto* slot : slots)
                if (context.seconds(slot->cut_start_frame) <= at) under = slot;
            Finding finding = context.at_panel(*under, "unspoken_line", Severity::Warning);
            finding.measured = line.span.end - line.span.start;
            finding.unit = "s of speech";
            finding.message = format_number(line.span.end - line.span.start) +
                              " s of speech in the timing track that is no panel's line";
            finding.hint = "write the line into its panel's dialogue, or cut it from the recording";
            findings.push_back(std::move(finding));
            continue;
        }
        if (line.status != LineStatus::NotFound) continue;
        for (const auto* slot : slots) {
            if (slot->shot->name + "/" + slot->panel->name != line.panel) continue;
            Finding finding = context.at_panel(*slot, "unspoken_line", Severity::Warning);
            finding.measured = 0;
            finding.unit = "s of speech";
            finding.message = "the panel's line was not found in the timing track (words timing)";
            finding.hint = "record the line, or correct the panel's dialogue to what is said";
            findings.push_back(std::move(finding));
        }
    }
    return true;
}

}  // namespace

CheckRule unspoken_line_rule() {
    return {"unspoken_line",
            "dialogue panels with no speech under them, speech with no dialogue panel over it",
            {},
            [](const CheckContext& context, const RuleSettings&, std::vector<Finding>& findings) {
                if (!context.audio) return;
                for (const auto& sequence : context.project.sequences)
                    if (!check_words(context, sequence, findings))
                        check_sequence(context, sequence, findings);
            }};
}

}  // namespace storyreel::checks
