#include "stages/encode_stage.h"

#include <map>
#include <mutex>
#include <optional>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <tbb/enumerable_thread_specific.h>

#include "media/encode_settings.h"
#include "media/prores_rows.h"
#include "media/video_encoder.h"
#include "media/ycbcr_conversion.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/shot_record.h"
#include "stages/image_value.h"
#include "stages/movie_finisher.h"
#include "stages/panel_framer.h"
#include "stages/previous_drawings.h"
#include "stages/segment_writer.h"
#include "stages/shot_reuse_plan.h"

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

/// A shot being encoded into a new cache entry.
struct SegmentInProgress {
    PendingEntry entry;
    std::optional<SegmentWriter> writer;
};

/// The encoder proper. The shot-reuse plan says which shots to build (shot_reuse_plan.h);
/// this encodes their panels into cached segments; the movie finisher writes each unit's
/// movie from the segments (movie_finisher.h).
class EncodeStage : public SinkStage, private FrameTarget {
  public:
    EncodeStage(std::string name, EncodeSettings settings, const Project& project,
                const BuildEnvironment& environment)
        : name_(std::move(name)),
          settings_(std::move(settings)),
          project_(project),
          environment_(environment) {}

    std::vector<ShotDecision> plan_reuse(const SinkContext& context) override {
        cache_ = &context.cache;
        log_ = &context.log;
        const ShowSettings& show = project_.show;
        const std::string settings =
            fingerprint() + " rate=" + std::to_string(show.frame_rate.num) + "/" +
            std::to_string(show.frame_rate.den) + " size=" + std::to_string(show.width) + "x" +
            std::to_string(show.height) + " | " + context.upstream_fingerprint;
        shots_.emplace(
            name_, context.plan, settings,
            [&](const PanelSlot& slot) {
                return PanelIngredient{slot.panel->name, context.hashes.of(slot.panel->board),
                                       slot.frames(), look_of(context, slot)};
            },
            context.cache, context.log);
        framer_.emplace(project_, context.plan);
        // Row splicing relies on prores_ks choosing each slice's quantiser from that slice
        // alone; prores_aw carries it from slice to slice, so its frames are encoded whole.
        if (settings_.codec == VideoCodec::ProRes && settings_.one_packet_per_drawing() &&
            settings_.prores_encoder == "prores_ks")
            prores_rows_.emplace(settings_, show.width, show.height, show.frame_rate,
                                 "shot segment (" + name_ + ")");
        needs_ = pixel_needs(
            context.plan, *shots_,
            [&](const PanelSlot& slot) { return neighbours_drawn_into(context.plan, slot); },
            [&](const PanelSlot& slot) { return framer_->plain_still(slot); });
        borrow_unchanged_drawings(context.plan);
        finisher_.emplace(MovieFinisherInputs{name_, settings_, project_, environment_,
                                              context.plan, settings, context.cache, context.log,
                                              *shots_});
        return shots_->decisions();
    }

    bool needs_pixels(const PanelSlot& slot) const override { return needs_.pixels[slot.ordinal]; }

    /// Runs on the graph's worker threads: intra codecs encode the drawing here (one
    /// encoder per thread), others convert it to Y'CbCr, so the serial part only writes.
    /// Panels with a look (moves, transitions, per-frame burn-ins) or whose picture a
    /// neighbour's transition mixes pass through to the framer as they are.
    std::any process_in_parallel(const PanelSlot& slot, const std::any& value) const override {
        const LookedFrame looked = looked_frame_of(value);
        if (!needs_.plain_still[slot.ordinal] || !looked.picture ||
            (looked.burnins && looked.burnins->per_frame()))
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
            encoder =
                std::make_unique<VideoEncoder>(settings_, project_.show.width, project_.show.height,
                                               project_.show.frame_rate, true, file);
            std::lock_guard lock(stream_template_mutex_);  // the first one lends its parameters
            if (!stream_template_) stream_template_.emplace(encoder->context(), file);
        }
        auto packet = encoder->encode_intra(frame.get());
        if (!packet) throw std::logic_error(file + ": the intra encoder held a picture back");
        return std::make_shared<EncodedPicture>(EncodedPicture{std::move(*packet)});
    }

    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) override {
        finisher_->begin_unit(unit, cut_values);
    }

    void consume(const PanelSlot& slot, const std::any& value) override {
        if (borrows_[slot.ordinal]) {  // unchanged drawing of a rebuilt shot: its old packet
            framer_->skip(slot);
            open_segment(slot);
            const PlannedShot& shot = shots_->shot_of(slot);
            const std::string& hash =
                shot.ingredients.panels[slot.ordinal - shot.span->first_slot].content_hash;
            const FrameRate rate = project_.show.frame_rate;
            auto packet = previous_drawings_.at(shots_->shot_index(slot))
                              .packet(hash, AVRational{static_cast<int>(rate.den),
                                                       static_cast<int>(rate.num)});
            segment_->writer->add_encoded_panel(packet.get(), slot.frames());
            panel_done(slot);
            finisher_->shots_ready();
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
        finisher_->shots_ready();
    }

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        return finisher_->finish_unit(unit);
    }

    void commit() override { finisher_->commit(); }

    void abort() noexcept override {
        if (finisher_) finisher_->abort();
        if (segment_) {
            segment_->writer.reset();
            cache_->discard(segment_->entry);
            segment_.reset();
        }
    }

  private:
    // FrameTarget: the framer hands over the frames of the shots being built.
    bool wants(const PanelSlot& slot) const override { return !shots_->built(slot); }

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
        segment_->writer->finish();
        segment_->writer.reset();
        shots_->set_segment(slot, cache_->publish(segment_->entry));
        const PlannedShot& shot = shots_->shot_of(slot);
        log_->record(name_, shot.span->name(), shot.ingredients);
        segment_.reset();
    }

    /// Starts the segment of `slot`'s shot unless it is open; true when it was started.
    bool open_segment(const PanelSlot& slot) {
        if (segment_) return false;
        const PlannedShot& shot = shots_->shot_of(slot);
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
        std::string look =
            context.upstream_panel_fingerprint ? context.upstream_panel_fingerprint(slot) : "";
        const std::string moves = panel_look_fingerprint(
            project_, context.plan, slot,
            [&](const Panel& panel) { return context.hashes.of(panel.board); });
        if (!moves.empty()) look += (look.empty() ? "" : " | ") + moves;
        return look;
    }

    /// Intra codecs: in a shot being rebuilt, the drawings whose boards did not change take
    /// their packets from the shot's previous segment (previous_drawings.h) and are not
    /// read, conformed or encoded. A redraw then encodes the redrawn board alone.
    void borrow_unchanged_drawings(const CutPlan& plan) {
        borrows_.assign(plan.slots.size(), false);
        if (!settings_.one_packet_per_drawing()) return;
        for (std::size_t index = 0; index < shots_->shots().size(); ++index) {
            const PlannedShot& shot = shots_->shots()[index];
            if (shot.segment) continue;
            auto drawings = PreviousDrawings::find(log_->last(name_, shot.span->name()),
                                                   shot.ingredients.settings, *cache_);
            if (!drawings) continue;
            bool any = false;
            for (std::size_t i = 0; i < shot.span->slot_count; ++i) {
                const std::size_t ordinal = shot.span->first_slot + i;
                const PanelIngredient& panel = shot.ingredients.panels[i];
                if (!needs_.plain_still[ordinal] || !panel.look.empty() ||
                    !drawings->has(panel.content_hash))
                    continue;
                borrows_[ordinal] = true;
                needs_.pixels[ordinal] = false;
                needs_.plain_still[ordinal] = false;
                any = true;
            }
            if (any) previous_drawings_.emplace(index, std::move(*drawings));
        }
    }

    std::string name_;
    EncodeSettings settings_;
    const Project& project_;
    const BuildEnvironment& environment_;
    ArtifactCache* cache_ = nullptr;
    BuildLog* log_ = nullptr;
    std::optional<ShotReusePlan> shots_;
    PixelNeeds needs_;
    std::optional<MovieFinisher> finisher_;
    std::optional<SegmentInProgress> segment_;
    std::optional<PanelFramer> framer_;
    av::FramePtr changing_;  ///< the last frame given one by one, converted (single*)
    std::optional<ProResRowEncoder> prores_rows_;  ///< ProRes held-frame reuse: rows re-encoded
    av::PacketPtr last_prores_;  ///< the last frame given one by one, encoded (ProRes rows)
    std::vector<bool> borrows_;  ///< by slot ordinal: packet from the previous segment
    std::map<std::size_t, PreviousDrawings> previous_drawings_;  ///< by shot index
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
