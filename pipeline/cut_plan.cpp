#include "pipeline/cut_plan.h"

#include <set>

namespace storyreel {

std::string PanelSlot::name() const { return panel_path(*sequence, *shot, *panel); }

bool Selection::includes(const Sequence& sequence, const Shot& shot) const {
    if (only.empty()) return true;
    for (const auto& entry : only)
        if (entry == sequence.name || entry == sequence.name + "/" + shot.name) return true;
    return false;
}

namespace {

/// Key of the unit a shot belongs to; a unit is a run of consecutive shots with one key.
std::string unit_name_for(const Project& project, OutputGrouping grouping,
                          const Selection& selection, const Sequence& sequence, const Shot& shot) {
    if (grouping == OutputGrouping::WholeCut) return project.show.name;
    for (const auto& entry : selection.only)
        if (entry == sequence.name + "/" + shot.name) return sequence.name + "_" + shot.name;
    return sequence.name;
}

/// A panel's own sounds start at its first frame (plus their offset), whether or not the
/// panel is selected: a clip of an earlier panel may run into the selection.
void place_panel_audio(const Panel& panel, std::int64_t panel_start_sample, CutPlan& plan) {
    for (const auto& clip : panel.audio) {
        auto track = std::make_shared<AudioTrack>();
        track->file = clip.file;
        track->offset_samples = clip.offset_samples;
        track->offset_given = true;
        track->gain_db = clip.gain_db;
        track->role = "panel";
        track->fade_in_samples = clip.fade_in_samples;
        track->fade_out_samples = clip.fade_out_samples;
        track->mute = clip.mute;
        track->where = clip.where;
        plan.audio.push_back({track.get(), panel_start_sample + clip.offset_samples});
        plan.panel_audio.push_back(std::move(track));
    }
}

/// Timecode is a 24-hour clock: a unit whose record timecode would pass 24:00:00:00 is
/// refused, not wrapped (EDL readers see a wrapped event as running backwards, while the
/// other lists and the movie's timecode track would count on past 24 h).
void check_before_midnight(const ShowSettings& show, const OutputUnit& unit,
                           Diagnostics& diagnostics) {
    const Timecode& start = unit.start_timecode;
    if (start.frames() + unit.frame_count <= start.frames_per_day()) return;
    diagnostics.add(show.start_timecode_where, "unit " + unit.name,
                    "its record timecode starts at " + start.to_string() + " and runs " +
                        std::to_string(unit.frame_count) + " frames, past midnight (24:00:00:00)",
                    "start the show's timecode earlier (start_timecode: 01:00:00:00 is the usual); "
                    "storyreel refuses to wrap timecode to 00:00:00:00");
}

/// Places a selected panel at `frame` in the plan: in the current unit, or a new one when
/// the unit name changes or the run of selected panels breaks; in its shot's span.
void place_selected_panel(const Project& project, OutputGrouping grouping, const Sequence& sequence,
                          const Shot& shot, const Panel& panel, const std::string& unit_name,
                          std::int64_t frame, std::int64_t sequence_start_frame, CutPlan& plan) {
    if (plan.units.empty() || plan.units.back().name != unit_name ||
        plan.units.back().cut_start_frame + plan.units.back().frame_count != frame) {
        OutputUnit unit;
        unit.name = unit_name;
        unit.cut_start_frame = frame;
        // Record timecode is the position in the reel: the whole cut, or the sequence (each
        // sequence movie is its own reel).
        const std::int64_t record_start =
            grouping == OutputGrouping::WholeCut ? frame : frame - sequence_start_frame;
        unit.start_timecode = project.show.start_timecode().plus(record_start);
        plan.units.push_back(unit);
    }
    OutputUnit& unit = plan.units.back();
    if (unit.shots.empty() || unit.shots.back().shot != &shot) {
        ShotSpan span;
        span.sequence = &sequence;
        span.shot = &shot;
        span.first_slot = plan.slots.size();
        span.unit_start_frame = frame - unit.cut_start_frame;
        unit.shots.push_back(span);
    }
    ++unit.shots.back().slot_count;
    unit.shots.back().frame_count += panel.frames;
    PanelSlot slot;
    slot.ordinal = plan.slots.size();
    slot.sequence = &sequence;
    slot.shot = &shot;
    slot.panel = &panel;
    slot.cut_start_frame = frame;
    slot.unit_start_frame = frame - unit.cut_start_frame;
    slot.unit = plan.units.size() - 1;
    unit.slots.push_back(plan.slots.size());
    unit.frame_count += panel.frames;
    plan.slots.push_back(slot);
}

/// Marks each unit's last slot and each shot's first and last; sets the units' samples.
void finish_units(CutPlan& plan) {
    for (auto& unit : plan.units) {
        plan.slots[unit.slots.back()].last_in_unit = true;
        for (const auto& span : unit.shots) {
            plan.slots[span.first_slot].first_in_shot = true;
            plan.slots[span.first_slot + span.slot_count - 1].last_in_shot = true;
        }
        unit.cut_start_sample = plan.rate.sample_at_frame(unit.cut_start_frame, kAudioSampleRate);
        unit.sample_count =
            plan.rate.sample_at_frame(unit.cut_start_frame + unit.frame_count, kAudioSampleRate) -
            unit.cut_start_sample;
    }
}

}  // namespace

CutPlan plan_cut(const Project& project, OutputGrouping grouping, const Selection& selection,
                 Diagnostics& diagnostics) {
    CutPlan plan;
    plan.rate = project.show.frame_rate;
    std::set<std::string> matched;
    std::int64_t frame = 0;
    for (const auto& sequence : project.sequences) {
        const std::int64_t sequence_start_frame = frame;
        const std::int64_t sequence_start_sample =
            plan.rate.sample_at_frame(frame, kAudioSampleRate);
        for (const auto& track : sequence.audio)
            plan.audio.push_back({&track, sequence_start_sample + track.offset_samples});
        for (const auto& shot : sequence.shots) {
            const bool selected = selection.includes(sequence, shot);
            if (selected) {
                matched.insert(sequence.name);
                matched.insert(sequence.name + "/" + shot.name);
            }
            const std::string unit_name =
                unit_name_for(project, grouping, selection, sequence, shot);
            for (const auto& panel : shot.panels) {
                if (selected)
                    place_selected_panel(project, grouping, sequence, shot, panel, unit_name, frame,
                                         sequence_start_frame, plan);
                place_panel_audio(panel, plan.rate.sample_at_frame(frame, kAudioSampleRate), plan);
                frame += panel.frames;
            }
        }
    }
    plan.cut_frame_count = frame;
    for (const auto& track : project.audio) plan.audio.push_back({&track, track.offset_samples});
    finish_units(plan);
    for (const auto& unit : plan.units) check_before_midnight(project.show, unit, diagnostics);
    for (const auto& entry : selection.only)
        if (!matched.count(entry))
            diagnostics.add({project.file.string(), 0, 0}, "--only " + entry,
                            "names no sequence or shot in the project",
                            "use SEQUENCE or SEQUENCE/SHOT as named in the project file");
    return plan;
}

}  // namespace storyreel
