#pragma once
// Runs a validated pipeline over a cut plan on a oneTBB flow graph.
//
//   input_node (slot ordinals, in cut order)
//     -> limiter_node (frames_in_flight tokens: decoded panels held at once)
//     -> admit (attaches the token)
//     -> panel stages (parallel; a tree following `needs`)
//     -> per sink: sequencer_node (restores cut order) -> serial sink node
//
// A token travels with each panel's values and returns to the limiter when the last
// copy of them is released, whichever way the panel leaves the graph. An exception in
// any node cancels the graph; every sink is then aborted (its temporary files removed)
// and the exception is rethrown to the caller.

#include <any>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <vector>

#include "pipeline/cut_plan.h"
#include "pipeline/pipeline_spec.h"
#include "pipeline/shot_record.h"
#include "pipeline/stage_registry.h"

namespace storyreel {

/// Told about work as it completes (called from worker threads, serialised by caller).
class ProgressListener {
  public:
    virtual ~ProgressListener() = default;
    virtual void panel_written(const std::string& sink, const PanelSlot& slot) = 0;
};

class GraphExecutor {
  public:
    GraphExecutor(const PipelineSpec& pipeline, const StageRegistry& registry,
                  const Project& project, const CutPlan& plan, const BuildEnvironment& environment);
    ~GraphExecutor();

    /// Number of sink stages (each writes every panel once).
    std::size_t sink_count() const;

    /// Lets every output stage decide what it can reuse from the cache (before run()).
    /// Panels no output stage needs are then not read at all.
    std::vector<ShotDecision> plan_reuse(const InputHashes& hashes, ArtifactCache& cache,
                                         BuildLog& log);

    /// Panels that will be read and conformed (all of them until plan_reuse() says less).
    std::size_t panels_needing_pixels() const;

    /// Runs the whole build (after plan_reuse()); returns what the sinks wrote. Throws on
    /// failure, after aborting every sink.
    std::vector<OutputRecord> run(ProgressListener* progress);

    /// Lets every output stage write what describes the whole build (after run(), once the
    /// report holds the checks; SinkStage::describe_build); returns what they wrote.
    std::vector<OutputRecord> describe_build(const nlohmann::json& build_report);

    /// Each stage's fingerprint, by stage name (for build.json).
    std::vector<std::pair<std::string, std::string>> fingerprints() const;
    /// Each stage's report (Stage::report), by stage name, after run().
    std::vector<std::pair<std::string, nlohmann::json>> reports() const;

  private:
    struct Instances;
    struct Wiring;  ///< one run's flow graph (graph_executor.cpp)
    using CutValues = std::map<std::string, std::any>;  ///< by cut stage name

    /// run(), in its steps: the cut stages' values started on another thread; the graph
    /// wired stage by stage; run to the end (every sink aborted on any failure); committed.
    std::shared_future<CutValues> start_cut_values();
    void wire_panel_stage(Wiring& wiring, const StageSpec& spec, PanelStage* stage);
    void wire_sink(Wiring& wiring, const StageSpec& spec, SinkStage* sink,
                   ProgressListener* progress);
    void run_graph(Wiring& wiring);
    std::vector<OutputRecord> commit(Wiring& wiring);

    const PipelineSpec& pipeline_;
    const CutPlan& plan_;
    const BuildEnvironment& environment_;
    std::string upstream_fingerprint(const StageSpec& sink) const;
    /// Per-panel fingerprints of the panel stages feeding `sink`.
    std::function<std::string(const PanelSlot&)> upstream_panel_stages(const StageSpec& sink) const;

    std::unique_ptr<Instances> instances_;
    const InputHashes* hashes_ = nullptr;  ///< from plan_reuse()
    ArtifactCache* cache_ = nullptr;
    std::vector<bool> needs_pixels_;  ///< by slot ordinal
};

}  // namespace storyreel
