#pragma once
// The last part of an encode stage: one movie per output unit from its shots' segments.
// Per unit it decides whether the movie is up to date, can be patched in place or must be
// assembled (while the shots are still being encoded, when it can), and it holds every
// finished movie under a temporary name until the whole build has succeeded.

#include <any>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "media/encode_settings.h"
#include "pipeline/artifact_cache.h"
#include "pipeline/atomic_file.h"
#include "pipeline/cut_plan.h"
#include "pipeline/project.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage.h"
#include "stages/audio_track.h"
#include "stages/cut_audio.h"
#include "stages/movie_assembly_thread.h"
#include "stages/movie_freshness.h"
#include "stages/movie_patch.h"
#include "stages/shot_reuse_plan.h"
#include "stages/slate_segment.h"
#include "stages/slate_stage.h"

namespace storyreel {

/// What a finisher works with, all owned by the encode stage (and alive while it runs).
struct MovieFinisherInputs {
    std::string stage;  ///< the encode stage's name
    const EncodeSettings& settings;
    const Project& project;
    const BuildEnvironment& environment;
    const CutPlan& plan;
    std::string settings_text;  ///< the settings part of every shot's ingredients
    ArtifactCache& cache;
    BuildLog& log;
    const ShotReusePlan& shots;
};

class MovieFinisher {
  public:
    explicit MovieFinisher(MovieFinisherInputs inputs) : in_(std::move(inputs)) {}

    /// Takes the unit's audio and slate from the cut values; decides whether its movie is
    /// up to date, may be patched, or is assembled (started now, on its own thread, for
    /// MOV). MP4 starts encoding its AAC track here.
    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values);
    /// Hands the shots whose segments are now ready, in cut order, to the assembly.
    void shots_ready();
    /// The unit's movie: kept, patched or assembled under a temporary name.
    std::vector<OutputRecord> finish_unit(const OutputUnit& unit);
    /// Gives every finished movie its final name (the build succeeded).
    void commit();
    /// Stops writing and removes every temporary movie; final names are untouched.
    void abort() noexcept;

  private:
    /// A finished movie waiting for the whole build to succeed before it takes its name:
    /// assembled under a temporary name, or a patch to write into the previous movie.
    struct FinishedMovie {
        std::optional<PendingFile> file;
        std::optional<MoviePatch> patch;
        std::filesystem::path path;
        RememberedMovie remembered;
    };

    std::optional<std::filesystem::path> slate_file(const OutputUnit& unit);
    bool patch_candidate(const OutputUnit& unit);
    void start_assembly(const OutputUnit& unit);
    bool patchable() const;
    std::optional<MoviePatch> plan_patch(const OutputUnit& unit,
                                         const std::optional<std::filesystem::path>& slate);
    void assemble_movie(const OutputUnit& unit, const std::optional<std::filesystem::path>& slate,
                        const PendingFile& file, RememberedMovie& remembered);
    std::vector<OutputRecord> finish_assembled(const OutputUnit& unit, FinishedMovie movie);
    std::filesystem::path movie_path(const OutputUnit& unit) const;
    std::string reel_name(const OutputUnit& unit) const {
        return in_.settings.reel_name(unit.name);
    }
    OutputRecord with_preroll(OutputRecord record) const;
    OutputRecord make_record(const OutputUnit& unit, const std::filesystem::path& path,
                             std::uint64_t size_bytes, const std::string& checksum) const;

    MovieFinisherInputs in_;
    AudioValue audio_;
    SlateValue slate_;  ///< of the current unit, when a slate stage is in the needs
    std::optional<SlateSegment> slate_segment_;     ///< its pictures, described
    std::int64_t preroll_ = 0;                      ///< slate frames before the cut
    MovieMetadata metadata_;                        ///< of the unit's movie
    std::optional<EncodedAudioTrack> audio_track_;  ///< AAC of the unit being built
    std::string unit_key_;                          ///< movie_assembly_key of that unit
    std::string layout_key_;                        ///< its movie_layout_key, when patchable()
    std::string assembly_note_;                 ///< how its movie is written, and why (--explain)
    std::vector<std::string> shot_keys_;        ///< its shots' keys, slate first
    std::optional<ExistingMovie> up_to_date_;   ///< its movie, when nothing changed
    const OutputUnit* unit_ = nullptr;          ///< the unit being built
    std::optional<PendingFile> assembly_file_;  ///< its movie, when written while encoding
    std::optional<MovieAssemblyThread> assembly_;  ///< ... by this
    std::size_t next_shot_ = 0;                    ///< the unit's next shot to hand to it
    std::vector<FinishedMovie> finished_;
};

}  // namespace storyreel
