#include "stages/cut_lists_stage.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "editorial/cut_list_timeline.h"
#include "editorial/edl_writer.h"
#include "editorial/fcpxml_writer.h"
#include "editorial/otio_writer.h"
#include "editorial/xmeml_writer.h"
#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"
#include "pipeline/shot_record.h"
#include "stages/cut_list_transitions.h"
#include "stages/cut_lists_settings.h"

namespace storyreel {

namespace {

/// One file of one format: what follows the base name, and its text.
struct CutListText {
    std::string suffix;  ///< ".edl", "_02.edl", "_movie.otio", ...
    std::string text;
    std::size_t events = 0;  ///< the events (EDL) or clips it lists
};

/// Past 999 events an EDL is written in parts, "<base>_01.edl", "<base>_02.edl", ...
std::vector<CutListText> edl_texts(const CutListTimeline& timeline, EdlLimit limit) {
    if (limit == EdlLimit::Single)
        return {{".edl", write_cmx3600_edl(timeline), cmx3600_edl_event_count(timeline)}};
    const auto parts = write_cmx3600_edl_parts(timeline);
    if (parts.size() == 1) return {{".edl", parts.front().text, parts.front().events}};
    std::vector<CutListText> texts;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        char suffix[16];
        std::snprintf(suffix, sizeof suffix, "_%02zu.edl", i + 1);
        texts.push_back({suffix, parts[i].text, parts[i].events});
    }
    return texts;
}

std::vector<CutListText> texts_of(CutListFormat format, const CutListTimeline& timeline,
                                  EdlLimit limit) {
    const std::size_t clips = timeline.clips.size();
    switch (format) {
        case CutListFormat::Edl:
            return edl_texts(timeline, limit);
        case CutListFormat::Otio:
            return {{".otio", make_otio_cut_timeline(timeline).dump(4) + "\n", clips},
                    {"_movie.otio", make_otio_movie_timeline(timeline).dump(4) + "\n", 1}};
        case CutListFormat::Xmeml:
            return {{".xml", write_xmeml(timeline), clips}};
        case CutListFormat::Fcpxml:
            return {{".fcpxml", write_fcpxml(timeline), clips}};
    }
    return {};
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw BuildError({{path.string(), 0, 0},
                          {},
                          "cannot write the cut list",
                          "check free space and permissions of the output folder"});
}

class CutListsStage : public SinkStage {
  public:
    CutListsStage(std::string name, CutListSettings settings, const Project& project,
                  const BuildEnvironment& environment)
        : name_(std::move(name)),
          settings_(std::move(settings)),
          project_(project),
          environment_(environment) {}

    std::vector<ShotDecision> plan_reuse(const SinkContext& context) override {
        plan_ = &context.plan;
        return {};
    }
    bool needs_pixels(const PanelSlot&) const override { return false; }
    void begin_unit(const OutputUnit&, const std::vector<std::any>&) override {}
    void consume(const PanelSlot&, const std::any&) override {}

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        const std::string show = project_.show.name;
        const CutListMovie movie{
            environment_.output_dir /
                settings_.movie.movie_file_name(unit.name, settings_.movie_stage, show),
            settings_.movie.reel_name(unit.name), settings_.movie_has_audio,
            settings_.movie_slate_frames};
        CutListTimeline timeline = make_cut_list_timeline(*plan_, unit, project_.show, movie);
        timeline.transitions = cut_list_transitions(project_, *plan_, unit);
        const std::string base = settings_.base_name(unit.name, name_, show);
        std::vector<OutputRecord> records;
        for (auto format : settings_.formats)
            for (const auto& list : texts_of(format, timeline, settings_.edl)) {
                PendingFile file(environment_.output_dir / (base + list.suffix));
                write_text(file.temporary_path(), list.text);
                OutputRecord record = make_record(unit, format, file, movie);
                record.counts["panels"] = static_cast<std::int64_t>(timeline.clips.size());
                if (format == CutListFormat::Edl)
                    record.counts["events"] = static_cast<std::int64_t>(list.events);
                records.push_back(std::move(record));
                finished_.push_back(std::move(file));
            }
        return records;
    }

    void commit() override {
        for (auto& file : finished_) file.commit();
        finished_.clear();
    }
    void abort() noexcept override { finished_.clear(); }

  private:
    OutputRecord make_record(const OutputUnit& unit, CutListFormat format, const PendingFile& file,
                             const CutListMovie& movie) const {
        OutputRecord record = unit_output_record(unit, project_.show.frame_rate, "cut_list", name_,
                                                 file.final_path());
        record.size_bytes = std::filesystem::file_size(file.temporary_path());
        record.checksum = hash_file(file.temporary_path());
        record.properties = {{"format", format_name(format)},
                             {"movie", movie.file.filename().string()},
                             {"movie_stage", settings_.movie_stage},
                             {"reel", movie.reel}};
        return record;
    }

    std::string name_;
    CutListSettings settings_;
    const Project& project_;
    const BuildEnvironment& environment_;
    const CutPlan* plan_ = nullptr;
    std::vector<PendingFile> finished_;
};

std::unique_ptr<Stage> create_cut_lists(const StageParams& params, Diagnostics& diagnostics) {
    auto settings = parse_cut_list_settings(params, diagnostics);
    if (!settings || !params.environment) return nullptr;
    return std::make_unique<CutListsStage>(params.stage_name, *settings, *params.project,
                                           *params.environment);
}

/// At validation, once the cut is planned: a unit's EDL must fit in 999 events unless it
/// may be split (the slate's own check keeps a slated movie after 00:00:00:00).
void check_cut_lists_plan(const StageParams& params, Diagnostics& diagnostics) {
    Diagnostics ignored;  // the params' own problems were reported by create_cut_lists
    const auto settings = parse_cut_list_settings(params, ignored);
    if (!settings || !params.plan || !params.project) return;
    const CutPlan& plan = *params.plan;
    const std::string subject = "stage '" + params.stage_name + "'";
    if (std::find(settings->formats.begin(), settings->formats.end(), CutListFormat::Edl) ==
        settings->formats.end())
        return;
    for (const auto& unit : plan.units) {
        const CutListMovie movie{{},
                                 settings->movie.reel_name(unit.name),
                                 settings->movie_has_audio,
                                 settings->movie_slate_frames};
        CutListTimeline timeline = make_cut_list_timeline(plan, unit, params.project->show, movie);
        timeline.transitions = cut_list_transitions(*params.project, plan, unit);
        const std::size_t events = cmx3600_edl_event_count(timeline);
        if (events <= kCmx3600MaxEvents) continue;
        const std::string base =
            settings->base_name(unit.name, params.stage_name, params.project->show.name);
        if (settings->edl == EdlLimit::Split) {
            spdlog::info(
                "{}: unit {} has {} EDL events; its EDL is written in parts of at most {} "
                "({}_01.edl, ...)",
                subject, unit.name, events, kCmx3600MaxEvents, base);
            continue;
        }
        diagnostics.add(settings->where, subject + ", unit " + unit.name,
                        "its EDL " + base + ".edl would hold " + std::to_string(events) +
                            " events; a CMX3600 EDL numbers at most 999",
                        "set 'edl: split' (writes " + base + "_01.edl, " + base +
                            "_02.edl ...), 'edl: off' (no EDL), or group the output by "
                            "sequence");
    }
}

}  // namespace

StageType cut_lists_stage_type() {
    StageType type{"cut_lists",
                   StageShape::Sink,
                   {},
                   "",
                   "writes CMX3600 EDL, OTIO, FCP7 XML and FCPXML cut lists lined up with a movie",
                   create_cut_lists};
    type.check_plan = check_cut_lists_plan;
    return type;
}

}  // namespace storyreel
