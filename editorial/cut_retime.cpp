#include "editorial/cut_retime.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

namespace storyreel {

namespace {

/// Where a panel is in the project: sequence, shot and panel indices.
struct PanelRef {
    std::size_t sequence = 0, shot = 0, panel = 0;
    auto operator<=>(const PanelRef&) const = default;
};

/// The panels in a cut's scope, by every name an event may give them: "sq/sh/p",
/// "sh/p", "p", the board's file name and its stem.
class PanelIndex {
  public:
    PanelIndex(const Project& project, const std::vector<std::size_t>& sequences)
        : project_(project) {
        for (std::size_t s : sequences) {
            const Sequence& sequence = project.sequences[s];
            for (std::size_t h = 0; h < sequence.shots.size(); ++h) {
                const Shot& shot = sequence.shots[h];
                for (std::size_t p = 0; p < shot.panels.size(); ++p) {
                    const Panel& panel = shot.panels[p];
                    const PanelRef ref{s, h, p};
                    all_.push_back(ref);
                    for (const std::string& key :
                         {panel_path(sequence, shot, panel), shot.name + "/" + panel.name,
                          panel.name, panel.board.filename().string(), panel.board.stem().string()})
                        add(key, ref);
                }
            }
        }
    }

    /// The panel an event names, or a diagnostic saying why there is none.
    std::optional<PanelRef> resolve(const CutEvent& event, Diagnostics& diagnostics) const {
        for (const auto& name : event.names) {
            auto it = by_name_.find(name);
            if (it == by_name_.end()) continue;
            if (it->second.size() == 1) return it->second.front();
            std::string candidates;
            for (const auto& ref : it->second)
                candidates += (candidates.empty() ? "" : ", ") + path_of(ref);
            diagnostics.add(event.where, "cut " + event.label,
                            "'" + name + "' could be any of " + candidates,
                            "name the panel as SEQUENCE/SHOT/PANEL in the clip name");
            return std::nullopt;
        }
        const std::string name = event.names.empty() ? "" : event.names.front();
        diagnostics.add(
            event.where, "cut " + event.label, "'" + name + "' names no panel of the project",
            "clip names must be panels as SEQUENCE/SHOT/PANEL (e.g. " +
                (all_.empty() ? std::string("sq010/sh010/p001") : path_of(all_.front())) +
                "), SHOT/PANEL, a unique panel name or its board's file name");
        return std::nullopt;
    }

    std::string path_of(const PanelRef& ref) const {
        const Sequence& sequence = project_.sequences[ref.sequence];
        const Shot& shot = sequence.shots[ref.shot];
        return panel_path(sequence, shot, shot.panels[ref.panel]);
    }
    const std::vector<PanelRef>& all() const { return all_; }

  private:
    void add(const std::string& key, const PanelRef& ref) {
        auto& refs = by_name_[key];
        if (std::find(refs.begin(), refs.end(), ref) == refs.end()) refs.push_back(ref);
    }

    const Project& project_;
    std::map<std::string, std::vector<PanelRef>> by_name_;
    std::vector<PanelRef> all_;
};

/// Builds the re-cut sequences, panel by panel, refusing to split a shot or sequence.
class CutBuilder {
  public:
    CutBuilder(const Project& project, Diagnostics& diagnostics)
        : project_(project), diagnostics_(diagnostics) {}

    void add(const CutEvent& event, const PanelRef& ref, std::int64_t frames) {
        const Sequence& source = project_.sequences[ref.sequence];
        if (sequences_.empty() || origins_.back() != ref.sequence) {
            if (!seen_sequences_.insert(ref.sequence).second)
                return split(event, "sequence " + source.name);
            Sequence copy = source;
            copy.shots.clear();
            sequences_.push_back(std::move(copy));
            origins_.push_back(ref.sequence);
            last_shot_ = SIZE_MAX;
        }
        Sequence& sequence = sequences_.back();
        const Shot& shot = source.shots[ref.shot];
        if (sequence.shots.empty() || last_shot_ != ref.shot) {
            if (!seen_shots_.insert({ref.sequence, ref.shot}).second)
                return split(event, "shot " + source.name + "/" + shot.name);
            Shot copy = shot;
            copy.panels.clear();
            sequence.shots.push_back(std::move(copy));
            last_shot_ = ref.shot;
        }
        Panel panel = shot.panels[ref.panel];
        panel.frames = frames;
        sequence.shots.back().panels.push_back(std::move(panel));
    }

    /// Lengthens the last panel placed (to fill a gap in the cut).
    void extend_last(std::int64_t frames) {
        if (!sequences_.empty()) sequences_.back().shots.back().panels.back().frames += frames;
    }

    std::vector<Sequence>& sequences() { return sequences_; }

  private:
    void split(const CutEvent& event, const std::string& what) {
        diagnostics_.add(event.where, "cut " + event.label,
                         "puts a panel of " + what + " apart from the rest of its panels",
                         "storyreel keeps a shot's (and a sequence's) panels together: move the "
                         "panel to the shot where it now plays in the project, or re-cut");
    }

    const Project& project_;
    Diagnostics& diagnostics_;
    std::vector<Sequence> sequences_;
    std::vector<std::size_t> origins_;
    std::set<std::size_t> seen_sequences_;
    std::set<std::pair<std::size_t, std::size_t>> seen_shots_;
    std::size_t last_shot_ = SIZE_MAX;
};

std::string timecode_frames(std::int64_t frames) { return std::to_string(frames) + " frame(s)"; }

}  // namespace

CutApplication apply_editorial_cut(Project& project, const std::vector<std::size_t>& sequences,
                                   const EditorialCut& cut, Diagnostics& diagnostics) {
    CutApplication result;
    result.file = cut.file;
    const std::size_t before = diagnostics.size();
    if (cut.events.empty()) {
        diagnostics.add({cut.file.string(), 0, 0}, "cut", "has no picture events",
                        "export the cut with its video track");
        return result;
    }
    std::vector<CutEvent> events = cut.events;
    std::stable_sort(events.begin(), events.end(), [](const CutEvent& a, const CutEvent& b) {
        return a.record_in < b.record_in;
    });
    const PanelIndex index(project, sequences);
    CutBuilder builder(project, diagnostics);
    std::set<PanelRef> used;
    std::int64_t previous_out = events.front().record_in;
    for (const auto& event : events) {
        const auto ref = index.resolve(event, diagnostics);
        if (event.record_in < previous_out) {
            diagnostics.add(event.where, "cut " + event.label, "overlaps the event before it",
                            "an animatic cut has one picture at a time; remove the overlap");
        } else if (event.record_in > previous_out) {
            builder.extend_last(event.record_in - previous_out);
            result.notes.push_back("a gap of " + timecode_frames(event.record_in - previous_out) +
                                   " before " + event.label + " is held on the panel before it");
        }
        previous_out = std::max(previous_out, event.record_out);
        if (!ref) continue;
        if (!used.insert(*ref).second) {
            diagnostics.add(event.where, "cut " + event.label,
                            "uses panel " + index.path_of(*ref) + " a second time",
                            "a panel plays once in storyreel; duplicate it in the project");
            continue;
        }
        builder.add(event, *ref, event.frames());
    }
    if (diagnostics.size() != before) return result;
    for (const auto& ref : index.all())
        if (!used.count(ref)) result.dropped.push_back(index.path_of(ref));
    auto& rebuilt = builder.sequences();
    if (sequences.size() == 1) {
        project.sequences[sequences.front()] = std::move(rebuilt.front());
    } else {
        project.sequences = std::move(rebuilt);
    }
    return result;
}

void apply_project_cuts(Project& project, Diagnostics& diagnostics) {
    std::vector<std::pair<CutReference, std::vector<std::size_t>>> cuts;
    if (project.cut) {
        std::vector<std::size_t> all(project.sequences.size());
        for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
        cuts.emplace_back(*project.cut, all);
    }
    for (std::size_t i = 0; i < project.sequences.size(); ++i)
        if (const auto& cut = project.sequences[i].cut) {
            if (project.cut) {
                diagnostics.add(cut->where, "sequence " + project.sequences[i].name,
                                "has a cut, and so has the project",
                                "give either one cut for the project or one per sequence");
                return;
            }
            cuts.push_back({*cut, {i}});
        }
    for (const auto& [reference, sequences] : cuts) {
        const std::size_t before = diagnostics.size();
        auto cut = read_editorial_cut(reference.file, project.show.frame_rate, diagnostics);
        if (!cut || diagnostics.size() != before) continue;
        const CutApplication applied = apply_editorial_cut(project, sequences, *cut, diagnostics);
        if (diagnostics.size() != before) continue;
        spdlog::info("cut {}: {} panel(s) re-timed and ordered as the editor cut them",
                     reference.file.string(), cut->events.size());
        for (const auto& note : applied.notes)
            spdlog::warn("cut {}: {}", reference.file.string(), note);
        if (!applied.dropped.empty()) {
            std::string list;
            for (const auto& path : applied.dropped) list += (list.empty() ? "" : ", ") + path;
            spdlog::warn("cut {} drops {} panel(s), left out of the build: {}",
                         reference.file.string(), applied.dropped.size(), list);
        }
    }
}

}  // namespace storyreel
