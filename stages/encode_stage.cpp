#include "stages/encode_stage.h"

#include <deque>
#include <optional>

#include "pipeline/atomic_file.h"
#include "pipeline/content_hash.h"
#include "stages/audio_encoder.h"
#include "stages/cut_audio.h"
#include "stages/encode_settings.h"
#include "stages/image_value.h"
#include "stages/movie_writer.h"
#include "stages/video_encoder.h"

namespace storyreel {

namespace {

std::string expand_filename(const std::string& pattern, const std::string& unit,
                            const std::string& stage, const std::string& show) {
    std::string text = pattern;
    const std::pair<const char*, const std::string*> fields[] = {
        {"{unit}", &unit}, {"{stage}", &stage}, {"{show}", &show}};
    for (const auto& [token, value] : fields)
        for (auto at = text.find(token); at != std::string::npos; at = text.find(token))
            text.replace(at, std::string(token).size(), *value);
    for (char& c : text)
        if (c == ' ' || c == '/' || c == '\\') c = '_';
    return text;
}

/// One movie in progress.
struct MovieInProgress {
    PendingFile file;
    std::optional<MovieWriter> writer;
    std::optional<VideoEncoder> video;
    std::optional<AudioEncoder> audio;
    AudioValue audio_source;
    int video_stream = -1;
    int audio_stream = -1;
    std::int64_t frames_queued = 0;      ///< frames handed to the encoder / packet writer
    std::int64_t frames_written = 0;     ///< video frames in the file
    std::int64_t samples_written = 0;    ///< audio sample frames in the file
    std::deque<std::int64_t> holds;      ///< intra: held frames of panels sent, not yet received
    std::vector<float> audio_buffer;
};

class EncodeStage : public SinkStage {
public:
    EncodeStage(std::string name, EncodeSettings settings, const Project& project,
                const BuildEnvironment& environment)
        : name_(std::move(name)), settings_(std::move(settings)), project_(project),
          environment_(environment) {}

    std::string fingerprint() const override { return settings_.fingerprint(); }

    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) override {
        unit_ = &unit;
        const std::string base =
            expand_filename(settings_.filename, unit.name, name_, project_.show.name);
        movie_.emplace(MovieInProgress{
            PendingFile(environment_.output_dir / (base + "." + settings_.container))});
        MovieInProgress& movie = *movie_;
        const std::string file = movie.file.final_path().string();
        movie.writer.emplace(movie.file.temporary_path());
        const bool global = movie.writer->needs_global_header();
        movie.video.emplace(settings_, project_.show.width, project_.show.height,
                            project_.show.frame_rate, global, file);
        MovieMetadata metadata{unit.start_timecode.to_string(), reel_name(unit),
                               project_.show.name + " " + unit.name};
        movie.video_stream = movie.writer->add_stream(movie.video->context(), &metadata);
        for (const auto& value : cut_values)
            if (const auto* audio = std::any_cast<AudioValue>(&value)) movie.audio_source = *audio;
        if (movie.audio_source) {
            movie.audio.emplace(settings_.container == "mp4" ? "aac" : "pcm_s24le", global, file);
            movie.audio_stream = movie.writer->add_stream(movie.audio->context(), nullptr);
        }
        movie.writer->start(metadata, settings_.container == "mp4");
    }

    void consume(const PanelSlot& slot, const std::any& value) override {
        MovieInProgress& movie = *movie_;
        const OIIO::ImageBuf& image = *std::any_cast<const ImageValue&>(value);
        if (image.spec().width != project_.show.width || image.spec().height != project_.show.height)
            throw BuildError({slot.panel->where, "panel " + slot.name(),
                              "stage '" + name_ + "' received an image that is not at the show "
                              "resolution", "put a conform stage before it in the pipeline"});
        auto frame = movie.video->convert(image);
        auto on_packet = [&](AVPacket* packet) { write_video_packet(packet); };
        if (settings_.intra_only()) {
            // Encode the drawing once; its packet is written for every held frame.
            movie.holds.push_back(slot.frames());
            movie.video->encode(frame.get(), movie.frames_queued, on_packet);
            movie.frames_queued += slot.frames();
        } else {
            for (std::int64_t i = 0; i < slot.frames(); ++i)
                movie.video->encode(frame.get(), movie.frames_queued++, on_packet);
        }
        write_audio_up_to_video();
    }

    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        MovieInProgress& movie = *movie_;
        movie.video->flush([&](AVPacket* packet) { write_video_packet(packet); });
        write_audio(unit.sample_count, true);
        movie.writer->finish();
        if (movie.frames_written != unit.frame_count)
            throw BuildError({{movie.file.final_path().string(), 0, 0}, "stage '" + name_ + "'",
                              "wrote " + std::to_string(movie.frames_written) +
                                  " frames, the cut has " + std::to_string(unit.frame_count),
                              "this is a bug in storyreel; please report it"});
        movie.file.commit();
        OutputRecord record = make_record(unit, movie.file.final_path());
        movie_.reset();
        return {record};
    }

    void abort() noexcept override { movie_.reset(); }

private:
    std::string reel_name(const OutputUnit& unit) const {
        std::string reel = settings_.reel.empty() ? unit.name : settings_.reel;
        for (char& c : reel)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
        return reel.substr(0, 8);
    }

    void write_video_packet(AVPacket* packet) {
        MovieInProgress& movie = *movie_;
        const AVRational time_base = movie.video->context()->time_base;
        if (!settings_.intra_only()) {
            movie.writer->write(packet, movie.video_stream, time_base);
            ++movie.frames_written;
            return;
        }
        const std::int64_t hold = movie.holds.front();
        movie.holds.pop_front();
        auto copy = av::make_packet();
        for (std::int64_t i = 0; i < hold; ++i) {
            av::check(av_packet_ref(copy.get(), packet), "referencing a packet",
                      movie.file.final_path().string());
            copy->pts = copy->dts = movie.frames_written++;
            copy->duration = 1;
            copy->flags |= AV_PKT_FLAG_KEY;
            movie.writer->write(copy.get(), movie.video_stream, time_base);
            av_packet_unref(copy.get());
        }
    }

    /// Keeps the audio level with the video written so far, so the muxer interleaves
    /// with little buffering.
    void write_audio_up_to_video() {
        const FrameRate rate = project_.show.frame_rate;
        const std::int64_t target =
            rate.sample_at_frame(unit_->cut_start_frame + movie_->frames_written,
                                 kAudioSampleRate) -
            unit_->cut_start_sample;
        write_audio(target, false);
    }

    void write_audio(std::int64_t target, bool final) {
        MovieInProgress& movie = *movie_;
        if (!movie.audio) return;
        const int size = movie.audio->frame_size();
        movie.audio_buffer.resize(static_cast<std::size_t>(size) * kAudioChannels);
        auto on_packet = [&](AVPacket* packet) {
            movie.writer->write(packet, movie.audio_stream, movie.audio->context()->time_base);
        };
        while (movie.samples_written < target) {
            const std::int64_t left = target - movie.samples_written;
            if (left < size && !final) break;
            const int count = static_cast<int>(std::min<std::int64_t>(left, size));
            movie.audio_source->read(unit_->cut_start_sample + movie.samples_written, count,
                                     movie.audio_buffer.data());
            movie.audio->encode(movie.audio_buffer.data(), count, movie.samples_written, on_packet);
            movie.samples_written += count;
        }
        if (final) movie.audio->flush(on_packet);
    }

    OutputRecord make_record(const OutputUnit& unit, const std::filesystem::path& path) const {
        OutputRecord record;
        record.path = path;
        record.kind = "movie";
        record.stage = name_;
        record.unit = unit.name;
        record.frame_count = unit.frame_count;
        record.frame_rate = project_.show.frame_rate;
        record.start_timecode = unit.start_timecode.to_string();
        record.size_bytes = std::filesystem::file_size(path);
        record.checksum = hash_file(path);
        record.properties = {{"codec", settings_.codec_label()},
                             {"encoder", settings_.encoder_name()},
                             {"profile", settings_.profile},
                             {"pix_fmt", settings_.pixel_format_name()},
                             {"container", settings_.container},
                             {"color", "bt709"},
                             {"reel", reel_name(unit)},
                             {"audio_codec", movie_->audio ? (settings_.container == "mp4"
                                                                  ? "aac"
                                                                  : "pcm_s24le")
                                                           : "none"}};
        return record;
    }

    std::string name_;
    EncodeSettings settings_;
    const Project& project_;
    const BuildEnvironment& environment_;
    const OutputUnit* unit_ = nullptr;
    std::optional<MovieInProgress> movie_;
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
            {{kImagePort, true}, {kAudioPort, false}},
            "",
            "encodes movies with libav: prores, dnxhr (MOV) or h264 (MP4)",
            create_encode};
}

}  // namespace storyreel
