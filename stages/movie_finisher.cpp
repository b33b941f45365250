#include "stages/movie_finisher.h"

#include <spdlog/spdlog.h>

#include "media/movie_file_output.h"
#include "pipeline/content_hash.h"
#include "stages/movie_assembler.h"

namespace storyreel {

void MovieFinisher::begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) {
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
        slate_segment_ =
            describe_slate_segment(*slate_, in_.project, in_.plan, unit, in_.settings_text);
    preroll_ = slate_segment_ ? slate_segment_->frames : 0;
    metadata_ = MovieMetadata{timecode_before(unit.start_timecode, preroll_).to_string(),
                              reel_name(unit), in_.project.show.name + " " + unit.name};
    const std::string audio_key = audio_ ? audio_samples_key(*audio_, unit) : "";
    shot_keys_.clear();
    std::vector<std::int64_t> shot_frames;
    if (slate_segment_) {
        shot_keys_.push_back(slate_segment_->key);
        shot_frames.push_back(preroll_);
    }
    for (const auto& span : unit.shots) {
        shot_keys_.push_back(in_.shots.shot_of(span).key);
        shot_frames.push_back(span.frame_count);
    }
    unit_key_ = movie_assembly_key(in_.settings_text, unit, metadata_, shot_keys_, audio_key);
    layout_key_ = patchable()
                      ? movie_layout_key(in_.settings_text, unit, metadata_, shot_frames, audio_key)
                      : "";
    up_to_date_ = find_up_to_date_movie(in_.log, in_.stage, unit_key_, movie_path(unit));
    assembly_note_ = up_to_date_ ? "kept: no shot, audio or setting changed" : "assembled in full";
    unit_ = &unit;
    next_shot_ = 0;
    if (!up_to_date_ && in_.settings.container == Container::Mov && !patch_candidate(unit))
        start_assembly(unit);
    if (audio_ && !up_to_date_ && in_.settings.container == Container::Mp4)
        audio_track_.emplace(in_.cache, audio_, unit,
                             in_.plan.rate.sample_at_frame(preroll_, kAudioSampleRate), audio_key,
                             movie_path(unit).filename().string() + " (audio)");
}

void MovieFinisher::shots_ready() {
    if (!assembly_) return;
    while (next_shot_ < unit_->shots.size()) {
        const auto& segment = in_.shots.shot_of(unit_->shots[next_shot_]).segment;
        if (!segment) return;
        assembly_->append(*segment);
        ++next_shot_;
    }
}

std::vector<OutputRecord> MovieFinisher::finish_unit(const OutputUnit& unit) {
    const auto final_path = movie_path(unit);
    if (up_to_date_) {
        spdlog::info("{}: {} is up to date (no shot, audio or setting changed); kept as is",
                     in_.stage, final_path.filename().string());
        return {with_preroll(
            make_record(unit, final_path, up_to_date_->size_bytes, up_to_date_->checksum))};
    }
    FinishedMovie movie{{}, {}, final_path, {unit_key_, layout_key_, shot_keys_, {}, {}}};
    if (assembly_) return finish_assembled(unit, std::move(movie));
    const std::optional<std::filesystem::path> slate = slate_file(unit);
    if (patchable()) movie.patch = plan_patch(unit, slate);
    std::uint64_t size = 0;
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
    OutputRecord record =
        with_preroll(make_record(unit, final_path, size, movie.remembered.checksum));
    finished_.push_back(std::move(movie));
    return {record};
}

/// The movie written while the shots were encoded: the last shots go in, then its end.
std::vector<OutputRecord> MovieFinisher::finish_assembled(const OutputUnit& unit,
                                                          FinishedMovie movie) {
    shots_ready();
    if (next_shot_ != unit.shots.size())
        throw std::logic_error(movie.path.string() + ": a shot's segment was never finished");
    WrittenMovie written = assembly_->finish();
    assembly_.reset();
    movie.file.emplace(std::move(*assembly_file_));
    assembly_file_.reset();
    movie.remembered.checksum = std::move(written.checksum);
    movie.remembered.blocks = std::move(written.blocks);
    const std::uint64_t size = std::filesystem::file_size(movie.file->temporary_path());
    audio_track_.reset();
    OutputRecord record =
        with_preroll(make_record(unit, movie.path, size, movie.remembered.checksum));
    finished_.push_back(std::move(movie));
    return {record};
}

void MovieFinisher::commit() {
    for (auto& movie : finished_) {
        if (movie.patch)
            movie.patch->apply();
        else
            movie.file->commit();
        remember_movie(in_.log, in_.stage, movie.path, movie.remembered);
    }
    finished_.clear();
}

void MovieFinisher::abort() noexcept {
    assembly_.reset();  // stops writing; its temporary movie is removed next
    assembly_file_.reset();
    audio_track_.reset();  // an unfinished AAC encode stops; its entry is dropped
    finished_.clear();     // temporary movies are removed; final names untouched
}

/// A movie with a slate starts `preroll_` frames before the cut and is that much longer.
OutputRecord MovieFinisher::with_preroll(OutputRecord record) const {
    if (preroll_ == 0) return record;
    record.frame_count += preroll_;
    record.start_timecode = metadata_.timecode;
    record.counts["slate_frames"] = preroll_;
    return record;
}

/// The slate's segment file, when the unit has a slate (from the cache, or rendered).
std::optional<std::filesystem::path> MovieFinisher::slate_file(const OutputUnit& unit) {
    if (!slate_segment_) return std::nullopt;
    return slate_segment_file(*slate_segment_, *slate_, in_.project.show, in_.settings, in_.cache,
                              "slate of " + unit.name + " (" + in_.stage + ")");
}

/// Whether the unit's movie may be patched (planned when the unit ends); says why not.
bool MovieFinisher::patch_candidate(const OutputUnit& unit) {
    if (!patchable()) return false;
    std::string why_not;
    if (MoviePatch::candidate_on_disk(in_.log, in_.stage, movie_path(unit), layout_key_, why_not))
        return true;
    if (!why_not.empty()) {
        assembly_note_ = "assembled in full, not patched: " + why_not;
        spdlog::info("{}: {} {}", in_.stage, movie_path(unit).filename().string(), assembly_note_);
    }
    return false;
}

/// Starts writing the unit's movie on its own thread (stages/movie_assembly_thread.h);
/// shots already in the cache at the start of the unit go in at once.
void MovieFinisher::start_assembly(const OutputUnit& unit) {
    assembly_file_.emplace(movie_path(unit));
    assembly_.emplace(in_.settings, in_.plan, unit, assembly_file_->temporary_path(),
                      assembly_file_->final_path().string(), audio_, metadata_);
    if (const auto slate = slate_file(unit))
        assembly_->append_preroll(*slate, slate_segment_->frames);
    shots_ready();
}

/// Editorial MOVs of held intra frames: the kind a later build may patch in place.
bool MovieFinisher::patchable() const {
    return in_.settings.container == Container::Mov && in_.settings.intra_only() &&
           in_.settings.reuse_held_frames;
}

/// The previous movie patched with the redrawn shots' frames, when that gives the movie
/// a full assembly would write (stages/movie_patch.h); says why not when it cannot.
std::optional<MoviePatch> MovieFinisher::plan_patch(
    const OutputUnit& unit, const std::optional<std::filesystem::path>& slate) {
    MoviePatchRequest request{
        &in_.log,
        in_.stage,
        movie_path(unit),
        layout_key_,
        {},
        AVRational{static_cast<int>(in_.plan.rate.den), static_cast<int>(in_.plan.rate.num)},
        in_.settings.compact_above};
    if (slate) request.shots.push_back({"slate", slate_segment_->key, preroll_, *slate});
    for (const auto& span : unit.shots) {
        const PlannedShot& shot = in_.shots.shot_of(span);
        request.shots.push_back({span.name(), shot.key, span.frame_count, *shot.segment});
    }
    std::string why_not;
    auto patch = MoviePatch::plan(request, why_not);
    const std::string file = request.path.filename().string();
    if (patch) {
        assembly_note_ = patch->summary();
        spdlog::info("{}: {} {}", in_.stage, file, assembly_note_);
    } else if (!why_not.empty()) {
        assembly_note_ = "assembled in full, not patched: " + why_not;
        spdlog::info("{}: {} {}", in_.stage, file, assembly_note_);
    }
    return patch;
}

/// Writes the unit's movie from its segments under `file`'s temporary name.
void MovieFinisher::assemble_movie(const OutputUnit& unit,
                                   const std::optional<std::filesystem::path>& slate,
                                   const PendingFile& file, RememberedMovie& remembered) {
    std::optional<std::filesystem::path> encoded_audio;
    if (audio_track_) {
        encoded_audio = audio_track_->path();
        spdlog::debug("{}: audio of {} {}", in_.stage, unit.name,
                      audio_track_->reused() ? "reused from the cache" : "encoded");
    }
    const auto assemble = [&](AVIOContext* output) {
        MovieAssembler assembler(in_.settings, in_.plan, unit, file.temporary_path(),
                                 file.final_path().string(), audio_, encoded_audio, metadata_,
                                 output);
        if (slate) assembler.append_preroll(*slate, slate_segment_->frames);
        for (const auto& span : unit.shots) assembler.append(*in_.shots.shot_of(span).segment);
        assembler.finish();
    };
    // Editorial MOV: gigabytes of held frames, written at disk speed and hashed in blocks
    // on the way. Web MP4 goes through libav's own file: its muxer re-reads it for fast start.
    if (in_.settings.container == Container::Mov) {
        WrittenMovie written = write_movie_file(file.temporary_path(), assemble);
        remembered.checksum = std::move(written.checksum);
        remembered.blocks = std::move(written.blocks);
    } else {
        assemble(nullptr);
        remembered.checksum = hash_file(file.temporary_path());
    }
}

std::filesystem::path MovieFinisher::movie_path(const OutputUnit& unit) const {
    return in_.environment.output_dir /
           in_.settings.movie_file_name(unit.name, in_.stage, in_.project.show.name);
}

OutputRecord MovieFinisher::make_record(const OutputUnit& unit, const std::filesystem::path& path,
                                        std::uint64_t size_bytes,
                                        const std::string& checksum) const {
    OutputRecord record =
        unit_output_record(unit, in_.project.show.frame_rate, "movie", in_.stage, path);
    record.size_bytes = size_bytes;
    record.checksum = checksum;
    const std::string audio_codec =
        audio_ ? (in_.settings.container == Container::Mp4 ? "aac" : "pcm_s24le") : "none";
    record.properties = {{"codec", in_.settings.codec_label()},
                         {"encoder", in_.settings.encoder_name()},
                         {"profile", in_.settings.profile_label()},
                         {"pix_fmt", in_.settings.pixel_format_name()},
                         {"container", container_name(in_.settings.container)},
                         {"color", "bt709"},
                         {"reel", reel_name(unit)},
                         {"assembly", assembly_note_},
                         {"audio_codec", audio_codec}};
    return record;
}

}  // namespace storyreel
