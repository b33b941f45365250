#include "stages/encode_stage.h"

#include <map>
#include <mutex>
#include <optional>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <spdlog/spdlog.h>
#include <tbb/enumerable_thread_specific.h>

#include "pipeline/artifact_cache.h"
#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"
#include "pipeline/shot_record.h"
#include "stages/audio_track.h"
#include "stages/cut_audio.h"
#include "stages/encode_settings.h"
#include "stages/image_value.h"
#include "stages/movie_assembler.h"
#include "stages/movie_assembly_thread.h"
#include "stages/movie_file_output.h"
#include "stages/movie_freshness.h"
#include "stages/movie_patch.h"
#include "stages/panel_framer.h"
#include "stages/prores_rows.h"
#include "stages/previous_drawings.h"
#include "stages/segment_writer.h"
#include "stages/slate_segment.h"
#include "stages/video_encoder.h"
#include "stages/ycbcr_conversion.h"

namespace storyreel {

namespace {

/// A panel's picture, converted to the encoder's pixel format off the serial path.
struct ConvertedPicture {
    av::FramePtr frame;
};
/// A panel's picture already encoded (intra-only codecs), off the serial path.
struct EncodedPicture {
    av::PacketPtr packet;
};

/// What the stage knows about one shot of the plan.
struct ShotState {
    const ShotSpan* span = nullptr;
    ShotIngredients ingredients;
    std::string key;
    std::optional<std::filesystem::path> segment;  ///< cached or just encoded
};

/// A shot being encoded into a new cache entry.
struct SegmentInProgress {
    PendingEntry entry;
    std::optional<SegmentWriter> writer;
};

/// A finished movie waiting for the whole build to succeed before it takes its name:
/// assembled under a temporary name, or a patch to write into the previous movie.
struct FinishedMovie {
    std::optional<PendingFile> file;
    std::optional<MoviePatch> patch;
    std::filesystem::path path;
    RememberedMovie remembered;
};

class EncodeStage : public SinkStage, private FrameTarget {
public:
    EncodeStage(std::string name, EncodeSettings settings, const Project& project,
                const BuildEnvironment& environment)
        : name_(std::move(name)), settings_(std::move(settings)), project_(project),
          environment_(environment) {}

    std::vector<ShotDecision> prepare(const SinkContext& context) override {
        cache_ = &context.cache;
        log_ = &context.log;
        plan_ = &context.plan;
        const ShowSettings& show = project_.show;
        const std::string settings = fingerprint() + " rate=" + std::to_string(show.frame_rate.num) +
                                     "/" + std::to_string(show.frame_rate.den) + " size=" +
                                     std::to_string(show.width) + "x" + std::to_string(show.height) +
                                     " | " + context.upstream_fingerprint;
        settings_text_ = settings;
        std::vector<ShotDecision> decisions;
        shot_of_slot_.assign(context.plan.slots.size(), 0);
        for (const auto& unit : context.plan.units)
            for (const auto& span : unit.shots) {
                ShotState state;
                state.span = &span;
                state.ingredients.settings = settings;
                for (std::size_t i = 0; i < span.slot_count; ++i) {
                    const PanelSlot& slot = context.plan.slots[span.first_slot + i];
                    state.ingredients.panels.push_back({slot.panel->name, context.hashes.of(slot.panel->board),
                                                        slot.frames(), look_of(context, slot)});
                    shot_of_slot_[span.first_slot + i] = shots_.size();
                }
                state.key = state.ingredients.key();
                decisions.push_back(decide(state));
                shots_.push_back(std::move(state));
            }
        framer_.emplace(project_, context.plan);
        // Row splicing relies on prores_ks choosing each slice's quantiser from that slice
        // alone; prores_aw carries it from slice to slice, so its frames are encoded whole.
        if (settings_.codec == VideoCodec::ProRes && settings_.one_packet_per_drawing() &&
            settings_.prores_encoder == "prores_ks")
            prores_rows_.emplace(settings_, show.width, show.height, show.frame_rate, "shot segment (" + name_ + ")");
        mark_pixels_needed(context.plan);
        borrow_unchanged_drawings(context.plan);
        return decisions;
    }

    bool needs_pixels(const PanelSlot& slot) const override { return pixels_needed_[slot.ordinal]; }

    /// Runs on the graph's worker threads: intra codecs encode the drawing here (one
    /// encoder per thread), others convert it to Y'CbCr, so the serial part only writes.
    /// Panels with a look (moves, transitions, per-frame burn-ins) or whose picture a
    /// neighbour's transition mixes pass through to the framer as they are.
    std::any prepare_value(const PanelSlot& slot, const std::any& value) const override {
        const LookedFrame looked = looked_frame_of(value);
        if (!plain_still_[slot.ordinal] || !looked.picture || (looked.burnins && looked.burnins->per_frame()))
            return value;
        OIIO::ImageBuf with_burnins;
        if (looked.burnins) {  // fixed burn-ins: drawn once, the panel stays one picture
            with_burnins.copy(*looked.picture);
            looked.burnins->draw_static(with_burnins);
        }
        const OIIO::ImageBuf& image = looked.burnins ? with_burnins : *looked.picture;
        const std::string file = "shot segment (" + name_ + ")";
        auto frame = make_video_frame(image, av_get_pix_fmt(settings_.pixel_format_name()), file);
        if (!(settings_.intra_only() && settings_.reuse_held_frames))
            return std::make_shared<ConvertedPicture>(ConvertedPicture{std::move(frame)});
        auto& encoder = intra_encoders_.local();
        if (!encoder) {
            encoder = std::make_unique<VideoEncoder>(settings_, project_.show.width,
                                                     project_.show.height,
                                                     project_.show.frame_rate, true, file);
            std::lock_guard lock(stream_template_mutex_);  // the first one lends its parameters
            if (!stream_template_) stream_template_.emplace(encoder->context(), file);
        }
        auto packet = encoder->encode_intra(frame.get());
        if (!packet)
            throw BuildError({{file, 0, 0}, {}, "the intra encoder held a picture back",
                              "use held_frames: encode_each for this codec"});
        return std::make_shared<EncodedPicture>(EncodedPicture{std::move(*packet)});
    }

    /// Decides whether the unit's movie must be assembled and, if so, starts encoding its
    /// AAC track (unless cached) while the pictures are encoded.
    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) override {
        audio_.reset();
        audio_track_.reset();
        slate_.reset();
        slate_segment_.reset();
        for (const auto& value : cut_values) {
            if (const auto* audio = std::any_cast<AudioValue>(&value)) audio_ = *audio;
            if (const auto* slate = std::any_cast<SlateValue>(&value)) slate_ = *slate;
        }
        // A slate is pre-roll: the cut keeps its record timecode, the movie starts earlier.
        if (slate_)
            slate_segment_ = describe_slate_segment(*slate_, project_, *plan_, unit, settings_text_);
        preroll_ = slate_segment_ ? slate_segment_->frames : 0;
        metadata_ = MovieMetadata{timecode_before(unit.start_timecode, preroll_).to_string(),
                                  reel_name(unit), project_.show.name + " " + unit.name};
        const std::string audio_key = audio_ ? audio_samples_key(*audio_, unit) : "";
        shot_keys_.clear();
        std::vector<std::int64_t> shot_frames;
        if (slate_segment_) {
            shot_keys_.push_back(slate_segment_->key);
            shot_frames.push_back(preroll_);
        }
        for (const auto& span : unit.shots) {
            shot_keys_.push_back(shot_of(span).key);
            shot_frames.push_back(span.frame_count);
        }
        unit_key_ = movie_assembly_key(settings_text_, unit, metadata_, shot_keys_, audio_key);
        layout_key_ = patchable() ? movie_layout_key(settings_text_, unit, metadata_, shot_frames, audio_key) : "";
        up_to_date_ = find_up_to_date_movie(*log_, name_, unit_key_, movie_path(unit));
        assembly_note_ = up_to_date_ ? "kept: no shot, audio or setting changed" : "assembled in full";
        unit_ = &unit;
        next_shot_ = 0;
        if (!up_to_date_ && settings_.container == "mov" && !patch_candidate(unit))
            start_assembly(unit);
        if (audio_ && !up_to_date_ && settings_.container == "mp4")
            audio_track_.emplace(*cache_, "aac", audio_, unit,
                                 plan_->rate.sample_at_frame(preroll_, kAudioSampleRate), audio_key,
                                 movie_path(unit).filename().string() + " (audio)");
    }

    void consume(const PanelSlot& slot, const std::any& value) override {
        if (borrows_[slot.ordinal]) {  // unchanged drawing of a rebuilt shot: its old packet
            framer_->skip(slot);
            open_segment(slot);
            const ShotState& shot = shots_[shot_of_slot_[slot.ordinal]];
            const std::string& hash = shot.ingredients.panels[slot.ordinal - shot.span->first_slot].content_hash;
            const FrameRate rate = project_.show.frame_rate;
            auto packet = previous_drawings_.at(shot_of_slot_[slot.ordinal])
                              .packet(hash, AVRational{static_cast<int>(rate.den), static_cast<int>(rate.num)});
            segment_->writer->add_encoded_panel(packet.get(), slot.frames());
            panel_done(slot);
            feed_assembly();
            return;
        }
        const auto* encoded = std::any_cast<std::shared_ptr<EncodedPicture>>(&value);
        const auto* converted = std::any_cast<std::shared_ptr<ConvertedPicture>>(&value);
        if (!encoded && !converted) {  // looks, neighbours of transitions: frame by frame
            framer_->push(slot, value, *this);
        } else {
            framer_->skip(slot);  // a plain held still, prepared on a worker thread
            open_segment(slot);
            if (encoded)
                segment_->writer->add_encoded_panel((*encoded)->packet.get(), slot.frames());
            else
                segment_->writer->add_panel((*converted)->frame.get(), slot.frames());
            panel_done(slot);
        }
        feed_assembly();
    }

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        const auto final_path = movie_path(unit);
        if (up_to_date_) {
            spdlog::info("{}: {} is up to date (no shot, audio or setting changed); kept as is",
                         name_, final_path.filename().string());
            return {with_preroll(
                make_record(unit, final_path, up_to_date_->size_bytes, up_to_date_->checksum))};
        }
        FinishedMovie movie{{}, {}, final_path, {unit_key_, layout_key_, shot_keys_, {}, {}}};
        std::uint64_t size = 0;
        if (assembly_) {  // written while the shots were encoded
            feed_assembly();
            if (next_shot_ != unit.shots.size())
                throw BuildError({{final_path.string(), 0, 0},
                                  {},
                                  "a shot's segment was never finished",
                                  "this is a bug in storyreel; please report it"});
            WrittenMovie written = assembly_->finish();
            assembly_.reset();
            movie.file.emplace(std::move(*assembly_file_));
            assembly_file_.reset();
            movie.remembered.checksum = std::move(written.checksum);
            movie.remembered.blocks = std::move(written.blocks);
            size = std::filesystem::file_size(movie.file->temporary_path());
            audio_track_.reset();
            OutputRecord record =
                with_preroll(make_record(unit, final_path, size, movie.remembered.checksum));
            finished_.push_back(std::move(movie));
            return {record};
        }
        const std::optional<std::filesystem::path> slate = slate_file(unit);
        if (patchable()) movie.patch = plan_patch(unit, slate);
        if (movie.patch) {
            size = movie.patch->size_bytes();
            movie.remembered.checksum = movie.patch->checksum();
            movie.remembered.blocks = movie.patch->blocks();
            movie.remembered.dead_bytes = movie.patch->dead_bytes();
        } else {
            movie.file.emplace(final_path);
            assemble_movie(unit, slate, *movie.file, movie.remembered);
            size = std::filesystem::file_size(movie.file->temporary_path());
        }
        audio_track_.reset();
        OutputRecord record = with_preroll(make_record(unit, final_path, size, movie.remembered.checksum));
        finished_.push_back(std::move(movie));
        return {record};
    }

    void commit() override {
        for (auto& movie : finished_) {
            if (movie.patch) movie.patch->apply();
            else movie.file->commit();
            remember_movie(*log_, name_, movie.path, movie.remembered);
        }
        finished_.clear();
    }

    void abort() noexcept override {
        assembly_.reset();  // stops writing; its temporary movie is removed next
        assembly_file_.reset();
        if (segment_) {
            segment_->writer.reset();
            cache_->discard(segment_->entry);
            segment_.reset();
        }
        audio_track_.reset();  // an unfinished AAC encode stops; its entry is dropped
        finished_.clear();     // temporary movies are removed; final names untouched
    }

private:
    // FrameTarget: the framer hands over the frames of the shots being built.
    bool wants(const PanelSlot& slot) const override { return !shots_[shot_of_slot_[slot.ordinal]].segment; }

    void held(const PanelSlot& slot, const OIIO::ImageBuf& picture, std::int64_t frames) override {
        open_segment(slot);
        segment_->writer->add_panel(picture, frames);
    }

    void single(const PanelSlot& slot, const OIIO::ImageBuf& picture, bool continues) override {
        const bool starts_segment = open_segment(slot);
        changing_ = make_video_frame(picture, av_get_pix_fmt(settings_.pixel_format_name()), name_);
        if (prores_rows_) {  // kept whole, for the next frame's changed rows
            last_prores_ = prores_rows_->encode_whole(changing_.get());
            add_encoded_copy(*last_prores_);
            return;
        }
        segment_->writer->add_frame(changing_.get(), starts_segment || !continues);
    }

    /// Burn-in boxes redrawn on a held panel: ProRes re-encodes only their macroblock rows;
    /// other codecs convert only the boxes to Y'CbCr again.
    void single_changed(const PanelSlot& slot, const OIIO::ImageBuf& picture,
                        const std::vector<OIIO::ROI>& changed) override {
        const bool starts_segment = open_segment(slot);
        if (!changing_ || starts_segment) return single(slot, picture, false);
        if (prores_rows_ && last_prores_) {
            last_prores_ = prores_rows_->update(*last_prores_, picture, changed);
            add_encoded_copy(*last_prores_);
            return;
        }
        av::check(av_frame_make_writable(changing_.get()), "reusing a video frame", name_);
        for (const auto& region : changed) rgb16_to_video_ycbcr(picture, changing_.get(), region);
        segment_->writer->add_frame(changing_.get(), false);
    }

    /// Writes a packet that is kept (the writer takes the reference it is given).
    void add_encoded_copy(const AVPacket& packet) {
        auto copy = av::make_packet();
        av::check(av_packet_ref(copy.get(), &packet), "copying a packet", name_);
        segment_->writer->add_encoded_panel(copy.get(), 1);
    }

    void panel_done(const PanelSlot& slot) override {
        changing_.reset();
        last_prores_.reset();
        if (!slot.last_in_shot || !segment_) return;
        ShotState& shot = shots_[shot_of_slot_[slot.ordinal]];
        segment_->writer->finish();
        segment_->writer.reset();
        shot.segment = cache_->publish(segment_->entry);
        log_->record(name_, shot.span->name(), shot.ingredients);
        segment_.reset();
    }

    /// Starts the segment of `slot`'s shot unless it is open; true when it was started.
    bool open_segment(const PanelSlot& slot) {
        if (segment_) return false;
        const ShotState& shot = shots_[shot_of_slot_[slot.ordinal]];
        const std::string label = "shot " + shot.span->name() + " (" + name_ + ")";
        segment_.emplace();
        segment_->entry = cache_->begin(shot.key, "segment.mov");
        segment_->writer.emplace(settings_, project_.show, segment_->entry.artifact, label,
                                 intra_stream_template());
        return true;
    }

    /// Intra-only codecs: the stream parameters every segment takes, so a shot of
    /// drawings encoded on the worker threads opens no encoder. They come from the first
    /// worker encoder, or (a cut opening with frames encoded here) one opened for them.
    const IntraStreamParameters* intra_stream_template() {
        if (!settings_.intra_only()) return nullptr;
        std::lock_guard lock(stream_template_mutex_);
        if (!stream_template_)
            stream_template_.emplace(settings_, project_.show, "shot segment (" + name_ + ")");
        return &*stream_template_;
    }

    std::string look_of(const SinkContext& context, const PanelSlot& slot) const {
        std::string look = context.upstream_panel_fingerprint ? context.upstream_panel_fingerprint(slot) : "";
        const std::string moves = panel_look_fingerprint(
            project_, context.plan, slot, [&](const Panel& panel) { return context.hashes.of(panel.board); });
        if (!moves.empty()) look += (look.empty() ? "" : " | ") + moves;
        return look;
    }

    /// Pixels are needed for panels of shots to build, and for the neighbours their
    /// transitions mix with (even when those are in reused shots).
    void mark_pixels_needed(const CutPlan& plan) {
        pixels_needed_.assign(plan.slots.size(), false);
        std::vector<bool> mixed_in(plan.slots.size(), false);
        for (const auto& slot : plan.slots) {
            if (shots_[shot_of_slot_[slot.ordinal]].segment) continue;
            pixels_needed_[slot.ordinal] = true;
            for (const PanelSlot* neighbour : neighbours_drawn_into(plan, slot)) {
                pixels_needed_[neighbour->ordinal] = true;
                mixed_in[neighbour->ordinal] = true;
            }
        }
        plain_still_.assign(plan.slots.size(), false);
        for (const auto& slot : plan.slots)
            plain_still_[slot.ordinal] = pixels_needed_[slot.ordinal] && !mixed_in[slot.ordinal] &&
                                         !shots_[shot_of_slot_[slot.ordinal]].segment &&
                                         framer_->plain_still(slot);
    }

    /// Intra codecs: in a shot being rebuilt, the drawings whose boards did not change take
    /// their packets from the shot's previous segment (previous_drawings.h) and are not
    /// read, conformed or encoded. A redraw then encodes the redrawn board alone.
    void borrow_unchanged_drawings(const CutPlan& plan) {
        borrows_.assign(plan.slots.size(), false);
        if (!settings_.one_packet_per_drawing()) return;
        for (std::size_t index = 0; index < shots_.size(); ++index) {
            const ShotState& shot = shots_[index];
            if (shot.segment) continue;
            auto drawings = PreviousDrawings::find(log_->last(name_, shot.span->name()),
                                                   shot.ingredients.settings, *cache_);
            if (!drawings) continue;
            bool any = false;
            for (std::size_t i = 0; i < shot.span->slot_count; ++i) {
                const std::size_t ordinal = shot.span->first_slot + i;
                const PanelIngredient& panel = shot.ingredients.panels[i];
                if (!plain_still_[ordinal] || !panel.look.empty() || !drawings->has(panel.content_hash))
                    continue;
                borrows_[ordinal] = true;
                pixels_needed_[ordinal] = false;
                plain_still_[ordinal] = false;
                any = true;
            }
            if (any) previous_drawings_.emplace(index, std::move(*drawings));
        }
    }

    ShotDecision decide(ShotState& state) {
        ShotDecision decision{name_, state.span->name(), state.key, false, {}};
        std::string damage;
        if (auto found = cache_->find(state.key, &damage)) {
            state.segment = *found;
            decision.reused = true;
            decision.reasons.push_back("in cache");
            log_->record(name_, decision.shot, state.ingredients);
            return decision;
        }
        if (!damage.empty()) {
            decision.reasons.push_back("cache entry damaged (" + damage + ")");
            return decision;
        }
        const auto previous = log_->last(name_, decision.shot);
        if (!previous)
            decision.reasons.push_back("not in cache (never built here)");
        else if (previous->key() == state.key)
            decision.reasons.push_back("not in cache (removed or trimmed)");
        else
            decision.reasons = explain_rebuild(*previous, state.ingredients);
        if (decision.reasons.empty()) decision.reasons.push_back("not in cache");
        return decision;
    }

    /// A movie with a slate starts `preroll_` frames before the cut and is that much longer.
    OutputRecord with_preroll(OutputRecord record) const {
        if (preroll_ == 0) return record;
        record.frame_count += preroll_;
        record.start_timecode = metadata_.timecode;
        record.counts["slate_frames"] = preroll_;
        return record;
    }

    /// The slate's segment file, when the unit has a slate (from the cache, or rendered).
    std::optional<std::filesystem::path> slate_file(const OutputUnit& unit) {
        if (!slate_segment_) return std::nullopt;
        return slate_segment_file(*slate_segment_, *slate_, project_.show, settings_, *cache_,
                                  "slate of " + unit.name + " (" + name_ + ")");
    }

    /// Whether the unit's movie may be patched (planned when the unit ends); says why not.
    bool patch_candidate(const OutputUnit& unit) {
        if (!patchable()) return false;
        std::string why_not;
        if (MoviePatch::candidate_on_disk(*log_, name_, movie_path(unit), layout_key_, why_not))
            return true;
        if (!why_not.empty()) {
            assembly_note_ = "assembled in full, not patched: " + why_not;
            spdlog::info("{}: {} {}", name_, movie_path(unit).filename().string(), assembly_note_);
        }
        return false;
    }

    /// Starts writing the unit's movie on its own thread (stages/movie_assembly_thread.h);
    /// shots already in the cache at the start of the unit go in at once.
    void start_assembly(const OutputUnit& unit) {
        assembly_file_.emplace(movie_path(unit));
        assembly_.emplace(settings_, *plan_, unit, assembly_file_->temporary_path(),
                          assembly_file_->final_path().string(), audio_, metadata_);
        if (const auto slate = slate_file(unit))
            assembly_->append_preroll(*slate, slate_segment_->frames);
        feed_assembly();
    }

    /// Hands the shots whose segments are now in the cache, in cut order, to the assembly.
    void feed_assembly() {
        if (!assembly_) return;
        while (next_shot_ < unit_->shots.size()) {
            const auto& segment = shot_of(unit_->shots[next_shot_]).segment;
            if (!segment) return;
            assembly_->append(*segment);
            ++next_shot_;
        }
    }

    /// Editorial MOVs of held intra frames: the kind a later build may patch in place.
    bool patchable() const {
        return settings_.container == "mov" && settings_.intra_only() && settings_.reuse_held_frames;
    }

    /// The previous movie patched with the redrawn shots' frames, when that gives the movie
    /// a full assembly would write (stages/movie_patch.h); says why not when it cannot.
    std::optional<MoviePatch> plan_patch(const OutputUnit& unit, const std::optional<std::filesystem::path>& slate) {
        MoviePatchRequest request{log_, name_, movie_path(unit), layout_key_, {},
                                   AVRational{static_cast<int>(plan_->rate.den), static_cast<int>(plan_->rate.num)},
                                   settings_.compact_above};
        if (slate) request.shots.push_back({"slate", slate_segment_->key, preroll_, *slate});
        for (const auto& span : unit.shots)
            request.shots.push_back({span.name(), shot_of(span).key, span.frame_count, *shot_of(span).segment});
        std::string why_not;
        auto patch = MoviePatch::plan(request, why_not);
        const std::string file = request.path.filename().string();
        if (patch) {
            assembly_note_ = patch->summary();
            spdlog::info("{}: {} {}", name_, file, assembly_note_);
        } else if (!why_not.empty()) {
            assembly_note_ = "assembled in full, not patched: " + why_not;
            spdlog::info("{}: {} {}", name_, file, assembly_note_);
        }
        return patch;
    }

    /// Writes the unit's movie from its segments under `file`'s temporary name.
    void assemble_movie(const OutputUnit& unit, const std::optional<std::filesystem::path>& slate,
                        const PendingFile& file, RememberedMovie& remembered) {
        std::optional<std::filesystem::path> encoded_audio;
        if (audio_track_) {
            encoded_audio = audio_track_->path();
            spdlog::debug("{}: audio of {} {}", name_, unit.name,
                          audio_track_->reused() ? "reused from the cache" : "encoded");
        }
        const auto assemble = [&](AVIOContext* output) {
            MovieAssembler assembler(settings_, *plan_, unit, file.temporary_path(),
                                     file.final_path().string(), audio_, encoded_audio, metadata_,
                                     output);
            if (slate) assembler.append_preroll(*slate, slate_segment_->frames);
            for (const auto& span : unit.shots) assembler.append(*shot_of(span).segment);
            assembler.finish();
        };
        // Editorial MOV: gigabytes of held frames, written at disk speed and hashed in blocks
        // on the way. Web MP4 goes through libav's own file: its muxer re-reads it for fast start.
        if (settings_.container == "mov") {
            WrittenMovie written = write_movie_file(file.temporary_path(), assemble);
            remembered.checksum = std::move(written.checksum);
            remembered.blocks = std::move(written.blocks);
        } else {
            assemble(nullptr);
            remembered.checksum = hash_file(file.temporary_path());
        }
    }

    std::string reel_name(const OutputUnit& unit) const { return settings_.reel_name(unit.name); }

    std::filesystem::path movie_path(const OutputUnit& unit) const {
        return environment_.output_dir /
               settings_.movie_file_name(unit.name, name_, project_.show.name);
    }

    const ShotState& shot_of(const ShotSpan& span) const {
        return shots_[shot_of_slot_[span.first_slot]];
    }

    OutputRecord make_record(const OutputUnit& unit, const std::filesystem::path& path,
                             std::uint64_t size_bytes, const std::string& checksum) const {
        OutputRecord record =
            unit_output_record(unit, project_.show.frame_rate, "movie", name_, path);
        record.size_bytes = size_bytes;
        record.checksum = checksum;
        record.properties = {{"codec", settings_.codec_label()},
                             {"encoder", settings_.encoder_name()},
                             {"profile", settings_.profile_label()},
                             {"pix_fmt", settings_.pixel_format_name()},
                             {"container", settings_.container},
                             {"color", "bt709"},
                             {"reel", reel_name(unit)},
                             {"assembly", assembly_note_},
                             {"audio_codec", audio_ ? (settings_.container == "mp4" ? "aac"
                                                                                    : "pcm_s24le")
                                                    : "none"}};
        return record;
    }

    std::string name_;
    EncodeSettings settings_;
    const Project& project_;
    const BuildEnvironment& environment_;
    ArtifactCache* cache_ = nullptr;
    BuildLog* log_ = nullptr;
    const CutPlan* plan_ = nullptr;
    std::string settings_text_;  ///< settings part of every shot's ingredients
    std::vector<ShotState> shots_;
    std::vector<std::size_t> shot_of_slot_;
    AudioValue audio_;
    SlateValue slate_;  ///< of the current unit, when a slate stage is in the needs
    std::optional<SlateSegment> slate_segment_;     ///< its pictures, described
    std::int64_t preroll_ = 0;                      ///< slate frames before the cut
    MovieMetadata metadata_;                        ///< of the unit's movie
    std::optional<EncodedAudioTrack> audio_track_;  ///< AAC of the unit being built
    std::string unit_key_;                          ///< movie_assembly_key of that unit
    std::string layout_key_;                        ///< its movie_layout_key, when patchable()
    std::string assembly_note_;                     ///< how its movie is written, and why (--explain)
    std::vector<std::string> shot_keys_;            ///< its shots' keys, slate first
    std::optional<ExistingMovie> up_to_date_;       ///< its movie, when nothing changed
    std::optional<SegmentInProgress> segment_;
    std::optional<PanelFramer> framer_;
    av::FramePtr changing_;  ///< the last frame given one by one, converted (single*)
    std::optional<ProResRowEncoder> prores_rows_;  ///< ProRes held-frame reuse: rows re-encoded
    av::PacketPtr last_prores_;  ///< the last frame given one by one, encoded (ProRes rows)
    std::vector<bool> pixels_needed_;  ///< by slot ordinal
    std::vector<bool> plain_still_;    ///< by slot ordinal: held, no move or transition, built here
    std::vector<bool> borrows_;        ///< by slot ordinal: packet from the previous segment
    std::map<std::size_t, PreviousDrawings> previous_drawings_;  ///< by shot index
    std::vector<FinishedMovie> finished_;
    const OutputUnit* unit_ = nullptr;             ///< the unit being built
    std::optional<PendingFile> assembly_file_;     ///< its movie, when written while encoding
    std::optional<MovieAssemblyThread> assembly_;  ///< ... by this
    std::size_t next_shot_ = 0;                    ///< the unit's next shot to hand to it
    mutable tbb::enumerable_thread_specific<std::unique_ptr<VideoEncoder>> intra_encoders_;
    mutable std::mutex stream_template_mutex_;
    mutable std::optional<IntraStreamParameters> stream_template_;  ///< intra_stream_template()
};

std::unique_ptr<Stage> create_encode(const StageParams& params, Diagnostics& diagnostics) {
    auto settings = parse_encode_settings(params, diagnostics);
    if (!settings || !params.environment) return nullptr;
    return std::make_unique<EncodeStage>(params.stage_name, *settings, *params.project,
                                         *params.environment);
}

}  // namespace

StageType encode_stage_type() {
    return {"encode",
            StageShape::Sink,
            {{kFramePort, true}, {kAudioPort, false}, {kSlatePort, false}},
            "",
            "encodes movies with libav: prores, dnxhr (MOV) or h264 (MP4)",
            create_encode};
}

}  // namespace storyreel
