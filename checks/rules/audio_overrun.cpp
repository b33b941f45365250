// audio_overrun: sounds that run past their shot, temp audio that does not fit the cut,
// a mix whose true peak clips.
#include "checks/rules/rules.h"

namespace storyreel::checks {

namespace {

constexpr double kRate = kAudioSampleRate;

/// Panel clips running past the end of their shot.
void check_panel_clips(const CheckContext& context, std::vector<Finding>& findings) {
    std::int64_t shot_end = 0;
    for (std::size_t i = 0; i < context.plan.slots.size(); ++i) {
        const PanelSlot& slot = context.plan.slots[i];
        if (slot.first_in_shot) {
            shot_end = slot.cut_start_frame;
            for (std::size_t j = i;
                 j < context.plan.slots.size() && context.plan.slots[j].shot == slot.shot; ++j)
                shot_end += context.plan.slots[j].frames();
        }
        for (const auto& clip : slot.panel->audio) {
            if (clip.mute) continue;
            const double start =
                context.seconds(slot.cut_start_frame) + clip.offset_samples / kRate;
            const double end = start + context.audio->duration_seconds(clip.file);
            const double over = end - context.seconds(shot_end);
            if (over <= 1.0 / 1000) continue;
            Finding finding = context.at_panel(slot, "audio_overrun", Severity::Warning);
            finding.measured = over;
            finding.limit = 0;
            finding.unit = "s";
            finding.message = "its sound " + clip.file.filename().string() + " runs " +
                              format_number(over) + " s past the end of the shot";
            finding.hint = "trim or fade the sound, or hold the shot longer";
            findings.push_back(std::move(finding));
        }
    }
}

/// A temp track against the stretch of the cut it scores: its sequence, or the whole cut.
void check_track(const CheckContext& context, const RuleSettings& settings, const AudioTrack& track,
                 const Sequence* sequence, std::vector<Finding>& findings) {
    if (track.mute) return;
    std::vector<const PanelSlot*> slots;
    if (sequence)
        slots = context.slots_of(*sequence);
    else
        for (const auto& slot : context.plan.slots) slots.push_back(&slot);
    if (slots.empty()) return;
    std::int64_t frames = 0;
    for (const auto* slot : slots) frames += slot->frames();
    const double cut_seconds = context.seconds(frames);
    const double end = track.offset_samples / kRate + context.audio->duration_seconds(track.file);
    const double difference = end - cut_seconds;
    const bool short_track = difference < -1.0 / 1000;
    if (!short_track && difference <= settings["tail_seconds"]) return;
    Finding finding = sequence
                          ? context.at_sequence(*sequence, "audio_overrun", Severity::Warning)
                          : context.at_panel(*slots.front(), "audio_overrun", Severity::Warning);
    if (!sequence) finding.panel.clear(), finding.shot.clear(), finding.sequence.clear();
    finding.measured = difference;
    finding.limit = short_track ? 0 : settings["tail_seconds"];
    finding.unit = "s";
    const std::string what = track.file.filename().string();
    const std::string scope = sequence ? "the sequence" : "the cut";
    finding.message = short_track
                          ? "temp audio " + what + " ends " + format_number(-difference) +
                                " s before " + scope + " does: silence under the last boards"
                          : "temp audio " + what + " runs " + format_number(difference) +
                                " s past the end of " + scope + " (it is cut off)";
    finding.hint = short_track ? "extend or loop the temp track, or trim the cut to it"
                               : "fade it out before the cut ends, or extend the last boards";
    findings.push_back(std::move(finding));
}

void check_true_peak(const CheckContext& context, const RuleSettings& settings,
                     std::vector<Finding>& findings) {
    for (const auto& [unit_name, peak] : context.unit_true_peaks) {
        if (peak <= settings["true_peak_dbtp"]) continue;
        for (const auto& unit : context.plan.units) {
            if (unit.name != unit_name || unit.slots.empty()) continue;
            Finding finding = context.at_panel(context.plan.slots[unit.slots.front()],
                                               "audio_overrun", Severity::Warning);
            finding.panel.clear();
            finding.shot.clear();
            finding.measured = peak;
            finding.limit = settings["true_peak_dbtp"];
            finding.unit = "dBTP";
            finding.message =
                "the mix of " + unit_name + " peaks at " + format_number(peak) + " dBTP: it clips";
            finding.hint =
                "lower the loud tracks' gain_db, or normalise with the audio stage's loudness "
                "param";
            findings.push_back(std::move(finding));
        }
    }
}

}  // namespace

CheckRule audio_overrun_rule() {
    return {"audio_overrun",
            "sounds running past their shot, temp audio that does not fit the cut, a clipping mix",
            {{"tail_seconds", 1.0, "s"}, {"true_peak_dbtp", 0.0, "dBTP", false, true}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                if (context.audio) {
                    check_panel_clips(context, findings);
                    for (const auto& track : context.project.audio)
                        check_track(context, settings, track, nullptr, findings);
                    for (const auto& sequence : context.project.sequences)
                        for (const auto& track : sequence.audio)
                            check_track(context, settings, track, &sequence, findings);
                }
                check_true_peak(context, settings, findings);
            }};
}

}  // namespace storyreel::checks
