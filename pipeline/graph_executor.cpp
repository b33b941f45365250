#include "pipeline/graph_executor.h"

#include <tbb/flow_graph.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>

#include "pipeline/interruption.h"

namespace storyreel {

namespace flow = tbb::flow;

namespace {

/// Shared by every token; closed once the graph has stopped so that late releases
/// (values destroyed with the graph) do not touch it.
struct TokenGate {
    std::atomic<bool> open{true};
    flow::limiter_node<std::size_t>* limiter = nullptr;
};

/// One panel's permission to be in flight.
struct FlightToken {
    explicit FlightToken(std::shared_ptr<TokenGate> gate) : gate(std::move(gate)) {}
    ~FlightToken() {
        if (gate->open.load()) gate->limiter->decrementer().try_put(flow::continue_msg());
    }
    FlightToken(const FlightToken&) = delete;
    FlightToken& operator=(const FlightToken&) = delete;
    std::shared_ptr<TokenGate> gate;
};

/// What flows between panel stages. The token is declared before the value, so the value
/// is freed before the token lets the next panel in: never more than frames_in_flight
/// panels' values alive at once.
struct PanelItem {
    std::size_t ordinal = 0;
    std::shared_ptr<FlightToken> token;
    std::any value;
};

using PanelNode = flow::function_node<PanelItem, PanelItem>;
using SinkNode = flow::function_node<PanelItem, flow::continue_msg>;

}  // namespace

struct GraphExecutor::Instances {
    std::vector<std::unique_ptr<Stage>> owned;
    std::map<std::string, Stage*> by_name;
};

GraphExecutor::GraphExecutor(const PipelineSpec& pipeline, const StageRegistry& registry,
                             const Project& project, const CutPlan& plan,
                             const BuildEnvironment& environment)
    : pipeline_(pipeline),
      plan_(plan),
      environment_(environment),
      instances_(std::make_unique<Instances>()) {
    Diagnostics diagnostics;
    for (const auto& spec : pipeline.stages) {
        const StageType* type = registry.find(spec.type);
        StageParams params{spec.name, spec.params, pipeline.file.string(), &project, &environment,
                           &pipeline, &plan};
        auto stage = registry.create(*type, params, diagnostics);
        if (!stage) continue;
        instances_->by_name[spec.name] = stage.get();
        instances_->owned.push_back(std::move(stage));
    }
    if (!diagnostics.empty()) throw ValidationError(diagnostics);
    needs_pixels_.assign(plan.slots.size(), true);
}

std::string GraphExecutor::upstream_fingerprint(const StageSpec& sink) const {
    std::string text;
    const StageSpec* current = &sink;
    while (current) {
        const StageSpec* next = nullptr;
        for (const auto& need : current->needs)
            if (dynamic_cast<PanelStage*>(instances_->by_name.at(need)))
                next = pipeline_.find(need);
        if (next)
            text = instances_->by_name.at(next->name)->fingerprint() + (text.empty() ? "" : " | ") +
                   text;
        current = next;
    }
    return text;
}

std::function<std::string(const PanelSlot&)> GraphExecutor::upstream_panel_stages(
    const StageSpec& sink) const {
    std::vector<const PanelStage*> chain;
    const StageSpec* current = &sink;
    while (current) {
        const StageSpec* next = nullptr;
        for (const auto& need : current->needs)
            if (auto* stage = dynamic_cast<PanelStage*>(instances_->by_name.at(need))) {
                next = pipeline_.find(need);
                chain.push_back(stage);
            }
        current = next;
    }
    return [chain](const PanelSlot& slot) {
        std::string text;
        for (const PanelStage* stage : chain) {
            const std::string part = stage->panel_fingerprint(slot);
            if (!part.empty()) text += (text.empty() ? "" : " | ") + part;
        }
        return text;
    };
}

std::vector<ShotDecision> GraphExecutor::plan_reuse(const InputHashes& hashes, ArtifactCache& cache,
                                                    BuildLog& log) {
    hashes_ = &hashes;
    cache_ = &cache;
    std::vector<ShotDecision> decisions;
    std::vector<SinkStage*> sinks;
    for (const auto& spec : pipeline_.stages)
        if (auto* sink = dynamic_cast<SinkStage*>(instances_->by_name.at(spec.name))) {
            SinkContext context{
                plan_, upstream_fingerprint(spec), upstream_panel_stages(spec), hashes, cache, log};
            auto made = sink->plan_reuse(context);
            decisions.insert(decisions.end(), made.begin(), made.end());
            sinks.push_back(sink);
        }
    for (const auto& slot : plan_.slots) {
        bool needed = false;
        for (auto* sink : sinks) needed = needed || sink->needs_pixels(slot);
        needs_pixels_[slot.ordinal] = needed;
    }
    return decisions;
}

std::size_t GraphExecutor::panels_needing_pixels() const {
    return static_cast<std::size_t>(std::count(needs_pixels_.begin(), needs_pixels_.end(), true));
}

GraphExecutor::~GraphExecutor() = default;

std::size_t GraphExecutor::sink_count() const {
    std::size_t count = 0;
    for (const auto& [name, stage] : instances_->by_name)
        if (dynamic_cast<SinkStage*>(stage)) ++count;
    return count;
}

std::vector<std::pair<std::string, std::string>> GraphExecutor::fingerprints() const {
    std::vector<std::pair<std::string, std::string>> result;
    for (const auto& spec : pipeline_.stages)
        result.emplace_back(spec.name, instances_->by_name.at(spec.name)->fingerprint());
    return result;
}

std::vector<std::pair<std::string, nlohmann::json>> GraphExecutor::reports() const {
    std::vector<std::pair<std::string, nlohmann::json>> result;
    for (const auto& spec : pipeline_.stages)
        result.emplace_back(spec.name, instances_->by_name.at(spec.name)->report());
    return result;
}

std::vector<OutputRecord> GraphExecutor::describe_build(const nlohmann::json& build_report) {
    std::vector<OutputRecord> written;
    for (const auto& spec : pipeline_.stages)
        if (auto* sink = dynamic_cast<SinkStage*>(instances_->by_name.at(spec.name)))
            for (auto& record : sink->describe_build(build_report))
                written.push_back(std::move(record));
    return written;
}

/// One run's flow graph and what its nodes share. Built in place (flow graph nodes cannot
/// move) by run(): the admitting head here, a node per panel stage by wire_panel_stage(),
/// three per sink by wire_sink().
struct GraphExecutor::Wiring {
    Wiring(std::size_t panels, std::size_t frames_in_flight)
        : source(graph,
                 [this, panels](tbb::flow_control& control) -> std::size_t {
                     if (next == panels) {
                         control.stop();
                         return 0;
                     }
                     return next++;
                 }),
          limiter(graph, frames_in_flight),
          admit(graph, flow::unlimited, [this](std::size_t ordinal) {
              stop_if_interrupted();  // no new panel once a stop was asked for
              return PanelItem{ordinal, std::make_shared<FlightToken>(gate), {}};
          }) {
        gate->limiter = &limiter;
        flow::make_edge(source, limiter);
        flow::make_edge(limiter, admit);
    }

    /// The panel-typed need of a stage, if any (validated: at most one); else the head.
    flow::sender<PanelItem>& input_of(const StageSpec& spec) {
        for (const auto& need : spec.needs)
            if (auto it = panel_nodes.find(need); it != panel_nodes.end()) return *it->second;
        return admit;
    }

    /// Every sink's abort(); never throws past it (each sink's own abort does not throw).
    void abort_sinks() {
        gate->open = false;
        for (auto* sink : sinks) sink->abort();
    }

    std::shared_future<CutValues> cut_values;  ///< computed beside the first panels
    flow::graph graph;
    std::shared_ptr<TokenGate> gate = std::make_shared<TokenGate>();
    std::size_t next = 0;
    flow::input_node<std::size_t> source;
    flow::limiter_node<std::size_t> limiter;
    flow::function_node<std::size_t, PanelItem> admit;
    std::map<std::string, std::unique_ptr<PanelNode>> panel_nodes;
    std::vector<std::unique_ptr<PanelNode>> parallel_nodes;
    std::vector<std::unique_ptr<flow::sequencer_node<PanelItem>>> sequencers;
    std::vector<std::unique_ptr<SinkNode>> sink_nodes;
    std::vector<SinkStage*> sinks;
    std::vector<std::vector<OutputRecord>> records;  ///< per sink
    std::mutex progress_mutex;
};

std::vector<OutputRecord> GraphExecutor::run(ProgressListener* progress) {
    auto wiring = std::make_unique<Wiring>(plan_.slots.size(), pipeline_.frames_in_flight);
    wiring->cut_values = start_cut_values();
    for (const auto& spec : pipeline_.stages) {
        Stage* stage = instances_->by_name.at(spec.name);
        if (auto* panel_stage = dynamic_cast<PanelStage*>(stage))
            wire_panel_stage(*wiring, spec, panel_stage);
        else if (auto* sink = dynamic_cast<SinkStage*>(stage))
            wire_sink(*wiring, spec, sink, progress);
    }
    run_graph(*wiring);
    return commit(*wiring);
}

std::shared_future<GraphExecutor::CutValues> GraphExecutor::start_cut_values() {
    std::vector<std::pair<std::string, CutStage*>> cut_stages;
    for (const auto& spec : pipeline_.stages)
        if (auto* stage = dynamic_cast<CutStage*>(instances_->by_name.at(spec.name)))
            if (!environment_.cache_only) cut_stages.emplace_back(spec.name, stage);
    if (!cut_stages.empty() && (!hashes_ || !cache_))
        throw std::logic_error("GraphExecutor::run() before plan_reuse()");
    // They are computed while the first panels are read and encoded; a sink waits for them
    // only when its first unit begins.
    return std::async(std::launch::async,
                      [this, cut_stages] {
                          std::vector<std::any> computed(cut_stages.size());
                          tbb::parallel_for(std::size_t{0}, cut_stages.size(), [&](std::size_t i) {
                              computed[i] = cut_stages[i].second->compute(plan_, environment_,
                                                                          {*hashes_, *cache_});
                          });
                          CutValues values;
                          for (std::size_t i = 0; i < cut_stages.size(); ++i)
                              values[cut_stages[i].first] = std::move(computed[i]);
                          return values;
                      })
        .share();
}

void GraphExecutor::wire_panel_stage(Wiring& wiring, const StageSpec& spec, PanelStage* stage) {
    auto node =
        std::make_unique<PanelNode>(wiring.graph, flow::unlimited, [this, stage](PanelItem item) {
            if (needs_pixels_[item.ordinal])
                item.value = stage->process(plan_.slots[item.ordinal], item.value);
            return item;
        });
    flow::make_edge(wiring.input_of(spec), *node);
    wiring.panel_nodes[spec.name] = std::move(node);
}

void GraphExecutor::wire_sink(Wiring& wiring, const StageSpec& spec, SinkStage* sink,
                              ProgressListener* progress) {
    const std::size_t index = wiring.sinks.size();
    wiring.sinks.push_back(sink);
    wiring.records.emplace_back();
    // Per-panel work in parallel (process_in_parallel), then back into cut order for the serial
    // sink.
    auto parallel =
        std::make_unique<PanelNode>(wiring.graph, flow::unlimited, [this, sink](PanelItem item) {
            if (item.value.has_value() && sink->needs_pixels(plan_.slots[item.ordinal]))
                item.value = sink->process_in_parallel(plan_.slots[item.ordinal], item.value);
            return item;
        });
    auto sequencer = std::make_unique<flow::sequencer_node<PanelItem>>(
        wiring.graph, [](const PanelItem& item) { return item.ordinal; });
    auto node = std::make_unique<SinkNode>(
        wiring.graph, flow::serial,
        [this, &wiring, sink, needs = spec.needs, index, name = spec.name,
         progress](const PanelItem& item) {
            stop_if_interrupted();
            const PanelSlot& slot = plan_.slots[item.ordinal];
            const OutputUnit& unit = plan_.units[slot.unit];
            if (unit.slots.front() == item.ordinal) {
                const CutValues& cut_values = wiring.cut_values.get();
                std::vector<std::any> inputs;
                for (const auto& need : needs)
                    if (auto it = cut_values.find(need); it != cut_values.end())
                        inputs.push_back(it->second);
                sink->begin_unit(unit, inputs);
            }
            sink->consume(slot, item.value);
            if (slot.last_in_unit && !environment_.cache_only) {
                auto written = sink->finish_unit(unit);
                auto& records = wiring.records[index];
                records.insert(records.end(), written.begin(), written.end());
            }
            if (progress) {
                std::lock_guard lock(wiring.progress_mutex);
                progress->panel_written(name, slot);
            }
            return flow::continue_msg();
        });
    // A sink that takes no panel stage (cut lists, a waveform of the audio) still sees every
    // panel, in cut order, to know the boundaries.
    flow::make_edge(wiring.input_of(spec), *parallel);
    flow::make_edge(*parallel, *sequencer);
    flow::make_edge(*sequencer, *node);
    wiring.parallel_nodes.push_back(std::move(parallel));
    wiring.sequencers.push_back(std::move(sequencer));
    wiring.sink_nodes.push_back(std::move(node));
}

void GraphExecutor::run_graph(Wiring& wiring) {
    try {
        wiring.source.activate();
        wiring.graph.wait_for_all();
        stop_if_interrupted();  // the last moment to stop: committing is not interrupted
    } catch (...) {
        wiring.abort_sinks();
        throw;
    }
    wiring.gate->open = false;
    if (wiring.graph.is_cancelled()) {
        wiring.abort_sinks();
        throw std::runtime_error("the build was cancelled");
    }
}

std::vector<OutputRecord> GraphExecutor::commit(Wiring& wiring) {
    if (environment_.cache_only) {
        wiring.abort_sinks();  // nothing to commit: the segments are in the cache
        return {};
    }
    try {
        for (auto* sink : wiring.sinks) sink->commit();
    } catch (...) {
        wiring.abort_sinks();
        throw;
    }
    std::vector<OutputRecord> all;
    for (auto& list : wiring.records) all.insert(all.end(), list.begin(), list.end());
    return all;
}

}  // namespace storyreel
