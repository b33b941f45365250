#pragma once
// The three shapes of stage the executor knows, and what a stage is given to work with.
//
// The engine never looks inside a value: stages pass std::any values tagged by a port
// type name ("image", "audio"), and the pipeline validator checks that connected
// stages agree on those names. Stages in stages/ know the concrete types.
//
//  - PanelStage: turns one panel's value into another (ingest: nothing -> image,
//    conform: image -> image). Runs in parallel, many panels at once.
//  - CutStage: computes one value for the whole build before panels flow (audio).
//  - SinkStage: receives every panel in cut order, serially, plus the values of the cut
//    stages it needs, and writes outputs (encode). Several sinks run concurrently.

#include <any>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/project.h"

namespace storyreel {

class BoardSignatureStore;

/// Where a build writes and keeps its temporary files.
struct BuildEnvironment {
    std::filesystem::path output_dir;  ///< final outputs go here
    std::filesystem::path work_dir;    ///< private temporary folder, removed after the build
    int threads_per_stage = 1;         ///< threads a stage may use inside itself (libav, OIIO)
    /// Fill the shot cache only: sinks consume panels (encoding segments into the cache)
    /// but are never asked to finish units or commit, and cut stages are not computed.
    bool cache_only = false;
    /// Where the stage that conforms boards records each board's signature for the
    /// production checks (pipeline/board_signature.h); null: nobody asks.
    BoardSignatureStore* board_signatures = nullptr;
};

/// A file a sink produced, as listed in build.json.
struct OutputRecord {
    std::filesystem::path path;
    std::string kind;   ///< "movie"
    std::string stage;  ///< the sink that wrote it
    std::string unit;
    std::map<std::string, std::string> properties;  ///< codec, profile, pix_fmt, ...
    std::map<std::string, std::int64_t> counts;     ///< slate_frames, events: JSON numbers
    std::int64_t frame_count = 0;
    FrameRate frame_rate;
    std::string start_timecode;
    std::uintmax_t size_bytes = 0;
    std::string checksum;  ///< "xxh128:<hex>"
    /// Where the file goes inside a published version, relative to it (a review page's
    /// `sq010_report/thumbs/`); empty: the version's top folder.
    std::string publish_folder;
};

/// The record of a file `stage` wrote for `unit` at `path`: the unit's frames, rate and
/// start timecode filled in; size, checksum and properties are the caller's.
inline OutputRecord unit_output_record(const OutputUnit& unit, FrameRate rate, std::string kind,
                                       std::string stage, std::filesystem::path path) {
    OutputRecord record;
    record.path = std::move(path);
    record.kind = std::move(kind);
    record.stage = std::move(stage);
    record.unit = unit.name;
    record.frame_count = unit.frame_count;
    record.frame_rate = rate;
    record.start_timecode = unit.start_timecode.to_string();
    return record;
}

class Stage {
  public:
    virtual ~Stage() = default;
    /// The stage's cache key: everything in its settings that determines its output, as
    /// readable `name=value` text (build.json's `stage_fingerprints`, shot cache keys).
    /// Derived from its type's name, key version and validated params by
    /// StageRegistry::create() (pipeline/cache_key.h), never written by the stage.
    const std::string& fingerprint() const { return fingerprint_; }
    /// Set by StageRegistry::create() once the stage's params were validated.
    void set_fingerprint(std::string fingerprint) { fingerprint_ = std::move(fingerprint); }
    /// Files the stage reads, other than boards and audio, whose bytes shape its output (a
    /// burn-in's font), by the name their content hash takes in its key (`content.font`).
    /// A file changed in place then invalidates what was made with it.
    virtual std::map<std::string, std::filesystem::path> files_in_key() const { return {}; }
    /// What the stage measured or decided while running (e.g. loudness), for build.json;
    /// null when nothing. Called after the build ran.
    virtual nlohmann::json report() const { return nullptr; }

  private:
    std::string fingerprint_;
};

class PanelStage : public Stage {
  public:
    /// `input` is the value of the stage this one needs (empty for a source stage).
    virtual std::any process(const PanelSlot& slot, const std::any& input) = 0;
    /// What, beyond its board and its settings, determines this stage's output for a panel
    /// (burn-ins: the panel's names, dialogue, place in the cut); enters cache keys.
    virtual std::string panel_fingerprint(const PanelSlot&) const { return {}; }
};

class ArtifactCache;
class BuildLog;
class InputHashes;
struct ShotDecision;

/// What a cut stage may use to reuse its work between builds.
struct CutContext {
    const InputHashes& hashes;  ///< content hashes of every board and audio file
    ArtifactCache& cache;
};

class CutStage : public Stage {
  public:
    virtual std::any compute(const CutPlan& plan, const BuildEnvironment& environment,
                             const CutContext& context) = 0;
};

/// What an output stage gets to decide, before panels flow, which shots it can reuse.
struct SinkContext {
    const CutPlan& plan;
    std::string upstream_fingerprint;  ///< fingerprints of the stages feeding its images
    /// The panel_fingerprint()s of those stages for one panel.
    std::function<std::string(const PanelSlot&)> upstream_panel_fingerprint;
    const InputHashes& hashes;  ///< content hashes of every board and audio file
    ArtifactCache& cache;
    BuildLog& log;
};

class SinkStage : public Stage {
  public:
    /// Looks up what can be reused; returns one decision per shot of the plan.
    virtual std::vector<ShotDecision> plan_reuse(const SinkContext& context) = 0;
    /// Whether this stage still needs the pixels of a panel after plan_reuse().
    virtual bool needs_pixels(const PanelSlot& slot) const = 0;

    /// Per-panel work that may run on any thread, for many panels at once, before
    /// consume() sees the panel in cut order: colour conversion, encoding an intra picture.
    /// Called only for panels needs_pixels() said yes to. Must be thread-safe.
    virtual std::any process_in_parallel(const PanelSlot& slot, const std::any& value) const {
        (void)slot;
        return value;
    }

    /// Called before the first panel of each unit; `cut_values` holds the values of the
    /// cut stages this sink needs, in the order of its `needs`.
    virtual void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) = 0;
    /// Called for every panel of the unit, in cut order (`value` is empty for panels no
    /// output stage needed pixels of).
    virtual void consume(const PanelSlot& slot, const std::any& value) = 0;
    /// Completes the unit's outputs under temporary names; returns what they will be.
    virtual std::vector<OutputRecord> finish_unit(const OutputUnit& unit) = 0;
    /// Called once the whole build succeeded: moves every finished output to its final
    /// name, so a build that fails anywhere replaces none of the earlier outputs.
    virtual void commit() = 0;
    /// Drops everything unfinished (temporary files); never throws.
    virtual void abort() noexcept = 0;

    /// Called once the build report is complete (with the production checks), before
    /// build.json is written: a stage whose output describes the whole build (the review
    /// page) writes it now, under its final name, and returns its records. Most write
    /// nothing here.
    virtual std::vector<OutputRecord> describe_build(const nlohmann::json& build_report) {
        (void)build_report;
        return {};
    }
};

}  // namespace storyreel
