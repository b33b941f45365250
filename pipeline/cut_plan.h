#pragma once
// The cut laid out in frames, and the output units (movies) it is split into.
//
// A PanelSlot is one panel at its place in the cut; an OutputUnit is what becomes one
// movie: a sequence (the default), the whole cut, or the part of it `--only` selected.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/project.h"

namespace storyreel {

/// How panels are grouped into movies.
enum class OutputGrouping { PerSequence, WholeCut };

/// One panel at its place in the cut.
struct PanelSlot {
    std::size_t ordinal = 0;  ///< position among the selected panels (0, 1, 2, ...)
    const Sequence* sequence = nullptr;
    const Shot* shot = nullptr;
    const Panel* panel = nullptr;
    std::int64_t cut_start_frame = 0;   ///< first frame in the whole cut
    std::int64_t unit_start_frame = 0;  ///< first frame in its output unit
    std::size_t unit = 0;               ///< index into CutPlan::units
    bool last_in_unit = false;
    bool first_in_shot = false;
    bool last_in_shot = false;

    std::int64_t frames() const { return panel->frames; }
    /// "sq010/sh020/p003"
    std::string name() const;
};

/// An audio file placed relative to the start of the whole cut, in 48 kHz samples.
struct AudioPlacement {
    const AudioTrack* track = nullptr;
    std::int64_t cut_start_sample = 0;
};

/// The selected panels of one shot inside an output unit.
struct ShotSpan {
    const Sequence* sequence = nullptr;
    const Shot* shot = nullptr;
    std::size_t first_slot = 0;  ///< index into CutPlan::slots
    std::size_t slot_count = 0;
    std::int64_t unit_start_frame = 0;
    std::int64_t frame_count = 0;

    /// "sq010/sh020"
    std::string name() const { return sequence->name + "/" + shot->name; }
};

/// What becomes one movie.
struct OutputUnit {
    std::string name;  ///< "sq010", "sq010_sh020" (--only a shot) or the show name (whole cut)
    std::int64_t cut_start_frame = 0;
    std::int64_t frame_count = 0;
    Timecode start_timecode;         ///< record timecode of the unit's first frame
    std::vector<std::size_t> slots;  ///< indices into CutPlan::slots, in cut order
    std::vector<ShotSpan> shots;     ///< the unit's shots, in cut order

    /// First audio sample (48 kHz, from the start of the cut) and sample count.
    std::int64_t cut_start_sample = 0;
    std::int64_t sample_count = 0;
};

/// Which parts of the cut to build: empty means everything; "sq010" a sequence;
/// "sq010/sh020" one shot.
struct Selection {
    std::vector<std::string> only;
    bool includes(const Sequence& sequence, const Shot& shot) const;
};

struct CutPlan {
    std::vector<PanelSlot> slots;  ///< selected panels, in cut order
    std::vector<OutputUnit> units;
    std::vector<AudioPlacement> audio;  ///< every audio file, placed in the cut
    /// Panel clips (Panel::audio) as tracks, owned here so placements can point at them.
    std::vector<std::shared_ptr<const AudioTrack>> panel_audio;
    std::int64_t cut_frame_count = 0;  ///< frames in the whole cut (selected or not)
    FrameRate rate;
};

/// Lays the project out in frames. `selection` entries that match nothing are reported
/// in `diagnostics`.
CutPlan plan_cut(const Project& project, OutputGrouping grouping, const Selection& selection,
                 Diagnostics& diagnostics);

}  // namespace storyreel
