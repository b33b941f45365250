#include "stages/cut_lists_stage.h"

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

/// One file of one format: its extension after the base name, and how to write it.
struct CutListFile {
    std::string suffix;  ///< ".edl", "_movie.otio", ...
    std::string (*write)(const CutListTimeline&);
};

std::string otio_cut_text(const CutListTimeline& timeline) {
    return make_otio_cut_timeline(timeline).dump(4) + "\n";
}
std::string otio_movie_text(const CutListTimeline& timeline) {
    return make_otio_movie_timeline(timeline).dump(4) + "\n";
}

std::vector<CutListFile> files_of(CutListFormat format) {
    switch (format) {
        case CutListFormat::Edl: return {{".edl", write_cmx3600_edl}};
        case CutListFormat::Otio: return {{".otio", otio_cut_text}, {"_movie.otio", otio_movie_text}};
        case CutListFormat::Xmeml: return {{".xml", write_xmeml}};
        case CutListFormat::Fcpxml: return {{".fcpxml", write_fcpxml}};
    }
    return {};
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        throw BuildError({{path.string(), 0, 0}, {}, "cannot write the cut list",
                          "check free space and permissions of the output folder"});
}

class CutListsStage : public SinkStage {
public:
    CutListsStage(std::string name, CutListSettings settings, const Project& project,
                  const BuildEnvironment& environment)
        : name_(std::move(name)), settings_(std::move(settings)), project_(project),
          environment_(environment) {}

    std::string fingerprint() const override { return settings_.fingerprint(); }

    std::vector<ShotDecision> prepare(const SinkContext& context) override {
        plan_ = &context.plan;
        return {};
    }
    bool needs_pixels(const PanelSlot&) const override { return false; }
    void begin_unit(const OutputUnit&, const std::vector<std::any>&) override {}
    void consume(const PanelSlot&, const std::any&) override {}

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        const std::string show = project_.show.name;
        const CutListMovie movie{
            environment_.output_dir / settings_.movie.movie_file_name(unit.name,
                                                                      settings_.movie_stage, show),
            settings_.movie.reel_name(unit.name), settings_.movie_has_audio, settings_.movie_slate_frames};
        CutListTimeline timeline = make_cut_list_timeline(*plan_, unit, project_.show, movie);
        timeline.transitions = cut_list_transitions(project_, *plan_, unit);
        const std::string base = settings_.base_name(unit.name, name_, show);
        std::vector<OutputRecord> records;
        for (auto format : settings_.formats)
            for (const auto& kind : files_of(format)) {
                PendingFile file(environment_.output_dir / (base + kind.suffix));
                write_text(file.temporary_path(), kind.write(timeline));
                records.push_back(make_record(unit, format, file, movie));
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
    OutputRecord make_record(const OutputUnit& unit, CutListFormat format,
                             const PendingFile& file, const CutListMovie& movie) const {
        OutputRecord record = unit_output_record(unit, project_.show.frame_rate, "cut_list", name_,
                                                 file.final_path());
        record.size_bytes = std::filesystem::file_size(file.temporary_path());
        record.checksum = hash_file(file.temporary_path());
        record.properties = {{"format", format_name(format)},
                             {"movie", movie.file.filename().string()},
                             {"movie_stage", settings_.movie_stage},
                             {"reel", movie.reel},
                             {"events", std::to_string(unit.slots.size())}};
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

}  // namespace

StageType cut_lists_stage_type() {
    return {"cut_lists",
            StageShape::Sink,
            {},
            "",
            "writes CMX3600 EDL, OTIO, FCP7 XML and FCPXML cut lists lined up with a movie",
            create_cut_lists};
}

}  // namespace storyreel
