#include "stages/report_stage.h"

#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <regex>
#include <set>

#include "pipeline/artifact_cache.h"
#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/shot_record.h"
#include "pipeline/utc_time.h"
#include "pipeline/yaml_fields.h"
#include "report/boards_pdf.h"
#include "report/contact_sheet.h"
#include "report/review_page.h"
#include "report/timeline_svg.h"
#include "stages/boards_pdf_file.h"
#include "stages/cut_audio.h"
#include "stages/image_value.h"
#include "stages/report_look_text.h"
#include "stages/report_thumbnail.h"
#include "stages/waveform_image.h"

namespace storyreel {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ReportSettings {
    ThumbnailSettings thumbnail;
    std::string movie;  ///< the encode stage whose movie the page plays; "" none; "auto"
    bool pdf = true;    ///< also write <unit>_boards.pdf
    report::BoardsPdfLayout layout;
};

/// A JPEG in the cache: its content key, and where it is with its size and hash.
struct CachedImage {
    std::string key;
    CachedArtifact file;  ///< path empty until made
    bool missing() const { return file.path.empty(); }
};

/// The sizes of a panel's two images, and how the thumbnail is made: from the print-size
/// board (one pass over the frame for both) when that is at least as large.
struct ImageSizes {
    ThumbnailSize thumbnail, print;
    bool thumbnail_from_print = false;
};

/// A panel's review thumbnail and its board at print size.
struct PanelImages {
    CachedImage thumbnail, print;
};

/// One unit's page in the making.
struct UnitPage {
    OutputUnit unit;
    report::ReviewUnit review;
    std::vector<report::PrintPanel> print;
    std::vector<PendingFile> new_files;  ///< thumbnails, under temporary names
    std::unique_ptr<BoardsPdfFile> pdf;
};

class ReportStage : public SinkStage {
  public:
    ReportStage(std::string name, ReportSettings settings, const Project& project,
                const BuildEnvironment& environment)
        : name_(std::move(name)),
          settings_(std::move(settings)),
          project_(project),
          environment_(environment),
          sizes_(image_sizes()) {}

    std::vector<ShotDecision> plan_reuse(const SinkContext& context) override {
        cache_ = &context.cache;
        log_ = &context.log;
        images_.assign(context.plan.slots.size(), {});
        const std::string thumbnail_source =
            sizes_.thumbnail_from_print ? "from print " + std::to_string(sizes_.print.width) + "x" +
                                              std::to_string(sizes_.print.height)
                                        : "from frame";
        for (const auto& slot : context.plan.slots) {
            auto key = [&](const ThumbnailSize& size, int quality, const std::string& source) {
                return ContentHasher()
                    .add("report jpeg v2 box")
                    .add(size.width)
                    .add(size.height)
                    .add(quality)
                    .add(source)
                    .add(context.upstream_fingerprint)
                    .add(context.upstream_panel_fingerprint(slot))
                    .add(context.hashes.of(slot.panel->board))
                    .digest();
            };
            PanelImages& images = images_[slot.ordinal];
            images.thumbnail.key =
                key(sizes_.thumbnail, settings_.thumbnail.quality, thumbnail_source);
            if (settings_.pdf) images.print.key = key(sizes_.print, kPrintQuality, "from frame");
            for (CachedImage* image : {&images.thumbnail, &images.print})
                if (!image->key.empty())
                    if (auto found = context.cache.find_artifact(image->key))
                        image->file = std::move(*found);
        }
        return {};
    }

    bool needs_pixels(const PanelSlot& slot) const override {
        const PanelImages& images = images_.at(slot.ordinal);
        return images.thumbnail.missing() || (settings_.pdf && images.print.missing());
    }

    /// Reduces the frame and encodes the missing JPEGs on a worker thread, into the cache.
    std::any process_in_parallel(const PanelSlot& slot, const std::any& value) const override {
        const OIIO::ImageBuf& frame = *std::any_cast<const ImageValue&>(value);
        PanelImages made = images_.at(slot.ordinal);
        std::optional<Rgb8Image> print;
        if ((settings_.pdf && made.print.missing()) ||
            (sizes_.thumbnail_from_print && made.thumbnail.missing()))
            print = box_reduce_to_rgb8(frame, sizes_.print.width, sizes_.print.height);
        if (settings_.pdf && made.print.missing())
            made.print.file = cached_jpeg(*print, made.print.key, kPrintQuality);
        if (made.thumbnail.missing()) {
            const Rgb8Image thumbnail =
                sizes_.thumbnail_from_print
                    ? box_reduce(*print, sizes_.thumbnail.width, sizes_.thumbnail.height)
                    : box_reduce_to_rgb8(frame, sizes_.thumbnail.width, sizes_.thumbnail.height);
            made.thumbnail.file =
                cached_jpeg(thumbnail, made.thumbnail.key, settings_.thumbnail.quality);
        }
        return made;
    }

    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) override {
        AudioValue audio;
        for (const auto& value : cut_values)
            if (const auto* found = std::any_cast<AudioValue>(&value)) audio = *found;
        UnitPage page{unit, {}, {}, {}, {}};
        page.review.name = unit.name;
        page.review.show = project_.show.name;
        page.review.fps_num = project_.show.frame_rate.num;
        page.review.fps_den = project_.show.frame_rate.den;
        page.review.frame_count = unit.frame_count;
        page.review.start_timecode = unit.start_timecode.to_string();
        if (audio)
            page.review.waveform =
                waveform_columns(unit.sample_count, report::kTimelineWidth,
                                 [&](std::int64_t start, int count, float* out) {
                                     audio->read(unit.cut_start_sample + start, count, out);
                                 });
        pages_.push_back(std::move(page));
    }

    void consume(const PanelSlot& slot, const std::any& value) override {
        PanelImages& images = images_.at(slot.ordinal);
        // Made by process_in_parallel(); a board another stage needed arrives as it is, unused.
        if (const auto* made = std::any_cast<PanelImages>(&value)) images = *made;
        const CachedImage& thumbnail = images.thumbnail;
        UnitPage& page = pages_.back();
        const ThumbnailSize size = sizes_.thumbnail;
        report::ReviewPanel panel;
        panel.name = slot.name();
        panel.shot = slot.sequence->name + "/" + slot.shot->name;
        panel.panel = slot.panel->name;
        panel.thumbnail = "thumbs/" + thumbnail_name(thumbnail.key);
        panel.thumbnail_width = size.width;
        panel.thumbnail_height = size.height;
        panel.record_timecode = page.unit.start_timecode.plus(slot.unit_start_frame).to_string();
        panel.unit_start_frame = slot.unit_start_frame;
        panel.frames = slot.frames();
        panel.timing_source = slot.panel->timing.source;
        panel.dialogue = slot.panel->dialogue;
        panel.action = slot.panel->action;
        panel.notes = slot.panel->notes;
        panel.camera = camera_move_text(slot.panel->look.camera);
        panel.transition = transition_text(slot.panel->look.transition);
        panel.fade_out = slot.panel->look.fade_out;
        panel.board = slot.panel->board.string();
        if (settings_.pdf)
            page.print.push_back(
                {panel.name, panel.record_timecode,
                 std::to_string(panel.frames) + " fr / " +
                     report::seconds_text(panel.frames, page.review.fps_num, page.review.fps_den),
                 panel.dialogue, panel.action, images.print.key, images.print.file.path,
                 sizes_.print.width, sizes_.print.height});
        page.review.panels.push_back(std::move(panel));
        sources_.push_back({thumbnail.key, thumbnail.file});
    }

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        UnitPage& page = pages_.back();
        const fs::path folder = page_folder(unit.name) / "thumbs";
        fs::create_directories(folder);
        std::vector<OutputRecord> records;
        std::set<std::string> listed;
        std::size_t new_thumbnails = 0;
        std::map<std::string, std::string> panels;  // thumbnail -> the panels it shows
        for (std::size_t i = 0; i < sources_.size(); ++i) {
            std::string& shown = panels[thumbnail_name(sources_[i].key)];
            shown += (shown.empty() ? "" : " ") + page.review.panels[i].name;
        }
        for (const auto& source : sources_) {
            const std::string name = thumbnail_name(source.key);
            if (!listed.insert(name).second) continue;  // the same board twice
            const fs::path final_path = folder / name;
            std::error_code error;
            if (fs::file_size(final_path, error) != source.file.bytes) {  // missing or not ours
                PendingFile file(final_path);
                fs::copy_file(source.file.path, file.temporary_path(),
                              fs::copy_options::overwrite_existing);
                page.new_files.push_back(std::move(file));
                ++new_thumbnails;
            }
            OutputRecord record =
                unit_output_record(unit, project_.show.frame_rate, "thumbnail", name_, final_path);
            record.size_bytes = source.file.bytes;
            record.checksum = source.file.hash;  // verified by the cache's find_artifact()
            record.publish_folder = unit.name + "_report/thumbs";
            record.properties = {{"codec", "jpeg"}, {"panels", panels[name]}};
            records.push_back(std::move(record));
        }
        written_ += new_thumbnails;
        reused_ += listed.size() - new_thumbnails;
        sources_.clear();
        if (settings_.pdf) records.push_back(write_pdf(page));
        return records;
    }

    void commit() override {
        for (auto& page : pages_)
            for (auto& file : page.new_files) file.commit(Durability::Unsynced);
        for (auto& page : pages_) {
            page.new_files.clear();
            if (page.pdf) page.pdf->commit();
            page.pdf.reset();
        }
    }
    void abort() noexcept override {
        pages_.clear();
        sources_.clear();
    }

    std::vector<OutputRecord> describe_build(const json& build_report) override {
        std::vector<OutputRecord> records;
        for (auto& page : pages_) {
            page.review.movie = movie_of(build_report, page.unit.name);
            const fs::path path = page_folder(page.unit.name) / "index.html";
            write_file_atomically(
                path, report::review_page_html(
                          page.review, report::build_facts_for_unit(build_report, page.review)));
            remove_stale_thumbnails(page);
            OutputRecord record =
                unit_output_record(page.unit, project_.show.frame_rate, "review_page", name_, path);
            record.size_bytes = fs::file_size(path);
            record.checksum = hash_file(path);
            record.publish_folder = page.unit.name + "_report";
            record.counts = {{"panels", static_cast<std::int64_t>(page.review.panels.size())}};
            records.push_back(std::move(record));
        }
        pages_.clear();
        return records;
    }

    json report() const override {
        return {{"thumbnails_written", written_},
                {"thumbnails_reused", reused_},
                {"pdf_pages_drawn", pdf_pages_drawn_}};
    }

  private:
    struct ThumbnailSource {
        std::string key;
        CachedArtifact file;
    };

    static constexpr int kPrintQuality = 85;

    /// The thumbnail's size, and the print-size board's (at the layout's dpi, never larger
    /// than the frame: a small show is printed from its frame's pixels, scaled by the PDF).
    ImageSizes image_sizes() const {
        const int width = project_.show.width, height = project_.show.height;
        ImageSizes sizes;
        sizes.thumbnail = thumbnail_size(width, height, settings_.thumbnail);
        const report::PrintSize print = report::print_size(settings_.layout, width, height);
        sizes.print = print.width <= width && print.height <= height
                          ? ThumbnailSize{print.width, print.height}
                          : ThumbnailSize{width, height};
        sizes.thumbnail_from_print = settings_.pdf && sizes.print.width >= sizes.thumbnail.width &&
                                     sizes.print.height >= sizes.thumbnail.height;
        return sizes;
    }

    /// `image` as a JPEG of `quality` in the cache under `key`.
    CachedArtifact cached_jpeg(const Rgb8Image& image, const std::string& key, int quality) const {
        const PendingEntry entry = cache_->begin(key, "board.jpg");
        try {
            write_jpeg(image, entry.artifact, quality);
            return cache_->publish_artifact(entry);
        } catch (...) {
            cache_->discard(entry);
            throw;
        }
    }

    /// `<unit>_boards.pdf` beside the movies, under a temporary name until commit() (or
    /// kept as it is when no page changed; stages/boards_pdf_file.h).
    OutputRecord write_pdf(UnitPage& page) {
        const fs::path final_path = environment_.output_dir / (page.unit.name + "_boards.pdf");
        page.pdf = std::make_unique<BoardsPdfFile>(*log_, name_, final_path);
        OutputRecord record = unit_output_record(page.unit, project_.show.frame_rate, "boards_pdf",
                                                 name_, final_path);
        page.pdf->write(page.print, {project_.show.name, page.unit.name, "build"}, settings_.layout,
                        utc_time_now("%Y-%m-%d %H:%M UTC"), record);
        spdlog::info("{}: {}", final_path.filename().string(), page.pdf->summary());
        pdf_pages_drawn_ += static_cast<std::size_t>(page.pdf->pages_drawn());
        record.properties = {{"codec", "pdf"}};
        record.counts = {{"pages", report::page_count(page.print.size(), settings_.layout)},
                         {"panels", static_cast<std::int64_t>(page.print.size())}};
        page.print.clear();
        return record;
    }

    fs::path page_folder(const std::string& unit) const {
        return environment_.output_dir / (unit + "_" + name_);
    }

    /// "<32 hex digits>.jpg": the content key, so a name never changes meaning.
    static std::string thumbnail_name(const std::string& key) {
        return key.substr(key.find(':') + 1) + ".jpg";
    }

    /// The page's movie, relative to the page: the chosen encode stage's movie of `unit`
    /// (by default the first MP4, which browsers play).
    std::string movie_of(const json& build_report, const std::string& unit) const {
        if (settings_.movie.empty()) return {};
        for (const auto& output : build_report.value("outputs", json::array())) {
            if (output.value("kind", "") != "movie" || output.value("unit", "") != unit) continue;
            const fs::path path = output.value("path", "");
            if (settings_.movie == "auto" ? path.extension() == ".mp4"
                                          : output.value("stage", "") == settings_.movie)
                return "../" + path.filename().string();
        }
        return {};
    }

    /// Thumbnails of boards no longer in the unit (redrawn, removed): only files named like
    /// ours (a content key), in the folder only this stage writes.
    void remove_stale_thumbnails(const UnitPage& page) const {
        static const std::regex ours("[0-9a-f]{32}\\.jpg");
        std::set<std::string> used;
        for (const auto& panel : page.review.panels)
            used.insert(fs::path(panel.thumbnail).filename());
        std::error_code error;
        for (const auto& entry :
             fs::directory_iterator(page_folder(page.unit.name) / "thumbs", error)) {
            const std::string name = entry.path().filename().string();
            if (entry.is_regular_file(error) && std::regex_match(name, ours) && !used.count(name))
                fs::remove(entry.path(), error);
        }
    }

    std::string name_;
    ReportSettings settings_;
    const Project& project_;
    const BuildEnvironment& environment_;
    ImageSizes sizes_;
    ArtifactCache* cache_ = nullptr;
    BuildLog* log_ = nullptr;
    std::vector<PanelImages> images_;  ///< by slot ordinal
    std::vector<UnitPage> pages_;
    std::vector<ThumbnailSource> sources_;  ///< the current unit's, in cut order
    std::size_t written_ = 0, reused_ = 0, pdf_pages_drawn_ = 0;
};

/// `pdf: false`, or `pdf: {panels_per_page, paper, orientation, dpi}`.
void read_pdf_settings(YamlFields& fields, const StageParams& params, ReportSettings& settings,
                       Diagnostics& diagnostics) {
    if (!fields.has("pdf")) return;
    const YAML::Node node = fields.node("pdf");
    if (node.IsScalar()) {
        if (auto on = fields.boolean("pdf")) settings.pdf = *on;
        return;
    }
    YamlFields pdf(node, params.file, "stage '" + params.stage_name + "' params pdf", diagnostics);
    if (!pdf.is_map()) return;
    pdf.allow_only({"panels_per_page", "paper", "orientation", "dpi"});
    if (auto count = pdf.integer("panels_per_page", 1, 24))
        settings.layout.panels_per_page = static_cast<int>(*count);
    if (auto dpi = pdf.integer("dpi", 72, 600)) settings.layout.dpi = static_cast<int>(*dpi);
    if (auto paper = pdf.string("paper")) {
        if (*paper == "a4")
            settings.layout.paper = report::Paper::A4;
        else if (*paper == "letter")
            settings.layout.paper = report::Paper::Letter;
        else
            pdf.problem("paper", "unknown paper '" + *paper + "'", "use a4 or letter");
    }
    if (auto orientation = pdf.string("orientation")) {
        if (*orientation == "landscape")
            settings.layout.orientation = report::Orientation::Landscape;
        else if (*orientation == "portrait")
            settings.layout.orientation = report::Orientation::Portrait;
        else
            pdf.problem("orientation", "unknown orientation '" + *orientation + "'",
                        "use landscape or portrait");
    }
}

std::unique_ptr<Stage> create_report(const StageParams& params, Diagnostics& diagnostics) {
    ReportSettings settings;
    settings.movie = "auto";
    if (params.params.IsDefined() && !params.params.IsNull()) {
        YamlFields fields(params.params, params.file, "stage '" + params.stage_name + "' params",
                          diagnostics);
        if (!fields.is_map()) return nullptr;
        const std::size_t before = diagnostics.size();
        fields.allow_only({"thumbnail_width", "thumbnail_quality", "movie", "pdf"});
        read_pdf_settings(fields, params, settings, diagnostics);
        if (auto width = fields.integer("thumbnail_width")) {
            if (*width < 32 || *width > 1920)
                fields.problem("thumbnail_width", "must be 32..1920 pixels");
            settings.thumbnail.width = static_cast<int>(*width);
        }
        if (auto quality = fields.integer("thumbnail_quality")) {
            if (*quality < 10 || *quality > 100)
                fields.problem("thumbnail_quality", "must be 10..100");
            settings.thumbnail.quality = static_cast<int>(*quality);
        }
        if (auto movie = fields.string("movie")) {
            settings.movie = *movie == "none" ? "" : *movie;
            const StageSpec* named =
                params.pipeline && !settings.movie.empty() && settings.movie != "auto"
                    ? params.pipeline->find(settings.movie)
                    : nullptr;
            if (params.pipeline && !settings.movie.empty() && settings.movie != "auto" &&
                (!named || named->type != "encode"))
                fields.problem("movie", "'" + *movie + "' is not an encode stage of this pipeline",
                               "name the encode stage whose movie the page plays (an h264 one), "
                               "or write auto or none");
        }
        if (diagnostics.size() != before) return nullptr;
    }
    if (!params.project || !params.environment) return nullptr;  // only validating
    return std::make_unique<ReportStage>(params.stage_name, std::move(settings), *params.project,
                                         *params.environment);
}

}  // namespace

StageType report_stage_type() {
    return {"report",
            StageShape::Sink,
            {{kFramePort, true}, {kAudioPort, false}},
            "",
            "a review page per movie: contact sheet, timeline with the sound, findings, provenance",
            create_report};
}

}  // namespace storyreel
