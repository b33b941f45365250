// The executor on its own, with test stages (no libav, no OpenImageIO): cut order per sink,
// the frames-in-flight bound, a failure aborting every sink, cache-only runs, and panels no
// sink needs never processed. The end-to-end tests show the same through real builds.

#include "pipeline/graph_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "pipeline/artifact_cache.h"
#include "pipeline/build.h"
#include "tests/support/check_projects.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

/// What the test stages of one run saw.
struct Probe {
    std::atomic<int> live{0}, max_live{0}, processed{0}, cut_computed{0};
    std::string fail_at;                 ///< panel name whose processing throws
    std::set<std::string> reused_shots;  ///< shots the sinks take from "the cache"
    std::chrono::milliseconds consume_delay{0};
    std::mutex mutex;
    std::map<std::string, std::vector<std::string>> events;  ///< per sink, in call order

    void record(const std::string& sink, const std::string& event) {
        std::lock_guard lock(mutex);
        events[sink].push_back(event);
    }
};

/// A panel's value; counts how many are alive at once.
struct Counted {
    explicit Counted(Probe& probe) : probe(probe) {
        const int now = ++probe.live;
        int seen = probe.max_live.load();
        while (now > seen && !probe.max_live.compare_exchange_weak(seen, now)) {
        }
    }
    ~Counted() { --probe.live; }
    Probe& probe;
};

class FakeSource : public PanelStage {
  public:
    explicit FakeSource(Probe& probe) : probe_(probe) {}
    std::any process(const PanelSlot& slot, const std::any&) override {
        ++probe_.processed;
        if (slot.name() == probe_.fail_at) throw std::runtime_error("cannot read " + slot.name());
        return std::make_shared<Counted>(probe_);
    }

  private:
    Probe& probe_;
};

class FakeCut : public CutStage {
  public:
    explicit FakeCut(Probe& probe) : probe_(probe) {}
    std::any compute(const CutPlan&, const BuildEnvironment&, const CutContext&) override {
        ++probe_.cut_computed;
        return 42;
    }

  private:
    Probe& probe_;
};

class RecordingSink : public SinkStage {
  public:
    RecordingSink(Probe& probe, std::string name) : probe_(probe), name_(std::move(name)) {}
    std::vector<ShotDecision> plan_reuse(const SinkContext& context) override {
        std::vector<ShotDecision> decisions;
        for (const auto& unit : context.plan.units)
            for (const auto& shot : unit.shots)
                decisions.push_back(
                    {name_, shot.name(), "key", probe_.reused_shots.count(shot.name()) > 0, {}});
        return decisions;
    }
    bool needs_pixels(const PanelSlot& slot) const override {
        return !probe_.reused_shots.count(slot.sequence->name + "/" + slot.shot->name);
    }
    void begin_unit(const OutputUnit& unit, const std::vector<std::any>& cut_values) override {
        std::string values;
        for (const auto& value : cut_values)
            values += " " + std::to_string(std::any_cast<int>(value));
        probe_.record(name_, "begin " + unit.name + values);
    }
    void consume(const PanelSlot& slot, const std::any& value) override {
        std::this_thread::sleep_for(probe_.consume_delay);
        probe_.record(name_, slot.name() + (value.has_value() ? "" : " (reused)"));
    }
    std::vector<OutputRecord> finish_unit(const OutputUnit& unit) override {
        probe_.record(name_, "finish " + unit.name);
        return {};
    }
    void commit() override { probe_.record(name_, "commit"); }
    void abort() noexcept override { probe_.record(name_, "abort"); }

  private:
    Probe& probe_;
    std::string name_;
};

StageRegistry test_stages(Probe& probe) {
    StageRegistry registry;
    registry.add({"fake_source",
                  StageShape::Panel,
                  {},
                  "number",
                  "a number per panel",
                  [&probe](const StageParams&, Diagnostics&) {
                      return std::make_unique<FakeSource>(probe);
                  }});
    registry.add(
        {"fake_cut",
         StageShape::Cut,
         {},
         "total",
         "one value for the cut",
         [&probe](const StageParams&, Diagnostics&) { return std::make_unique<FakeCut>(probe); }});
    registry.add({"recording_sink",
                  StageShape::Sink,
                  {{"number", false}, {"total", false}},
                  "",
                  "records what it is given",
                  [&probe](const StageParams& params, Diagnostics&) {
                      return std::make_unique<RecordingSink>(probe, params.stage_name);
                  }});
    return registry;
}

/// Runs the test stages over a project of two sequences (sq010: 2 shots of 3 panels, sq020:
/// 1 shot of 4) through the executor as run_build does; throws what run() throws.
class ExecutorRun {
  public:
    explicit ExecutorRun(int frames_in_flight = 4) {
        std::vector<testing::TestPanel> panels;
        for (const auto& [sequence, shot, count] :
             std::vector<std::tuple<std::string, std::string, int>>{
                 {"sq010", "sh010", 3}, {"sq010", "sh020", 3}, {"sq020", "sh010", 4}})
            for (int i = 1; i <= count; ++i) {
                testing::TestPanel panel;
                panel.sequence = sequence, panel.shot = shot;
                panel.name = "p00" + std::to_string(i);
                panel.board = sequence + "_" + shot + "_" + panel.name + ".png";
                panel.frames = 12;
                panels.push_back(panel);
            }
        request_.project = testing::write_check_project(dir_.path() / "project", panels);
        request_.pipeline = dir_.path() / "pipeline.yaml";
        std::ofstream(request_.pipeline)
            << "pipeline: 1\nsettings: {frames_in_flight: " << frames_in_flight << "}\nstages:\n"
            << "  - {name: source, type: fake_source}\n"
            << "  - {name: total, type: fake_cut}\n"
            << "  - {name: first, type: recording_sink, needs: [source, total]}\n"
            << "  - {name: second, type: recording_sink, needs: [source]}\n";
    }

    std::vector<OutputRecord> run(bool cache_only = false) {
        const StageRegistry registry = test_stages(probe);
        ValidatedBuild build = validate_build(request_, registry);
        Diagnostics ignored;
        build.plan = plan_cut(build.project, build.pipeline.grouping, {}, ignored);
        const BuildEnvironment environment{dir_.path() / "out", dir_.path() / "work", 1,
                                           cache_only};
        GraphExecutor executor(build.pipeline, registry, build.project, build.plan, environment);
        std::vector<fs::path> boards;
        for (const auto& slot : build.plan.slots) boards.push_back(slot.panel->board);
        const InputHashes hashes(boards);
        ArtifactCache cache(dir_.path() / "cache");
        BuildLog log(dir_.path() / "log");
        executor.plan_reuse(hashes, cache, log);
        panels_needing_pixels = executor.panels_needing_pixels();
        return executor.run(nullptr);
    }

    Probe probe;
    std::size_t panels_needing_pixels = 0;

  private:
    testing::TempDir dir_;
    BuildRequest request_;
};

std::vector<std::string> panels_of(const std::string& sequence, const std::string& shot, int count,
                                   const std::string& suffix = "") {
    std::vector<std::string> names;
    for (int i = 1; i <= count; ++i)
        names.push_back(sequence + "/" + shot + "/p00" + std::to_string(i) + suffix);
    return names;
}

std::vector<std::string> joined(std::initializer_list<std::vector<std::string>> parts) {
    std::vector<std::string> all;
    for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
    return all;
}

TEST(GraphExecutor, EverySinkSeesEveryPanelInCutOrderBetweenItsUnitsBeginAndFinish) {
    ExecutorRun run;
    run.run();
    const auto expected = [](const std::string& cut_value) {
        return joined({{"begin sq010" + cut_value},
                       panels_of("sq010", "sh010", 3),
                       panels_of("sq010", "sh020", 3),
                       {"finish sq010", "begin sq020" + cut_value},
                       panels_of("sq020", "sh010", 4),
                       {"finish sq020", "commit"}});
    };
    EXPECT_EQ(run.probe.events["first"], expected(" 42"))
        << "the cut value it needs, once per unit";
    EXPECT_EQ(run.probe.events["second"], expected(""));
    EXPECT_EQ(run.probe.processed, 10);
    EXPECT_EQ(run.probe.cut_computed, 1);
    EXPECT_EQ(run.probe.live, 0) << "every value released";
}

TEST(GraphExecutor, NoMoreThanFramesInFlightPanelValuesAreAliveAtOnce) {
    for (int in_flight : {1, 2, 3}) {
        ExecutorRun run(in_flight);
        run.probe.consume_delay = std::chrono::milliseconds(5);  // a slow sink: the source waits
        run.run();
        EXPECT_LE(run.probe.max_live, in_flight);
        EXPECT_GE(run.probe.max_live, 1);
        EXPECT_EQ(run.probe.live, 0);
    }
}

TEST(GraphExecutor, APanelStageThatThrowsAbortsEverySinkAndTheErrorReachesTheCaller) {
    ExecutorRun run;
    run.probe.fail_at = "sq020/sh010/p002";
    try {
        run.run();
        FAIL() << "run() returned";
    } catch (const std::runtime_error& error) {
        EXPECT_STREQ(error.what(), "cannot read sq020/sh010/p002");
    }
    for (const char* sink : {"first", "second"}) {
        const auto& events = run.probe.events[sink];
        EXPECT_EQ(std::count(events.begin(), events.end(), "abort"), 1) << sink;
        EXPECT_EQ(std::count(events.begin(), events.end(), "commit"), 0) << sink;
        EXPECT_EQ(std::count(events.begin(), events.end(), "finish sq020"), 0) << sink;
    }
    EXPECT_EQ(run.probe.live, 0) << "values in flight are released";
}

TEST(GraphExecutor, ACacheOnlyRunFeedsTheSinksButFinishesAndCommitsNothing) {
    ExecutorRun run;
    EXPECT_TRUE(run.run(/*cache_only=*/true).empty());
    EXPECT_EQ(run.probe.cut_computed, 0) << "no cut values on a farm shard";
    for (const char* sink : {"first", "second"}) {
        const auto& events = run.probe.events[sink];
        EXPECT_EQ(std::count_if(events.begin(), events.end(),
                                [](const std::string& e) { return e.rfind("finish", 0) == 0; }),
                  0)
            << sink;
        EXPECT_EQ(std::count(events.begin(), events.end(), "commit"), 0) << sink;
        EXPECT_EQ(std::count(events.begin(), events.end(), "sq020/sh010/p004"), 1) << sink;
    }
}

TEST(GraphExecutor, PanelsOfShotsEverySinkReusesAreNeverProcessedButStillPassInOrder) {
    ExecutorRun run;
    run.probe.reused_shots = {"sq010/sh020"};
    run.run();
    EXPECT_EQ(run.panels_needing_pixels, 7u);
    EXPECT_EQ(run.probe.processed, 7);
    EXPECT_EQ(run.probe.events["second"], joined({{"begin sq010"},
                                                  panels_of("sq010", "sh010", 3),
                                                  panels_of("sq010", "sh020", 3, " (reused)"),
                                                  {"finish sq010", "begin sq020"},
                                                  panels_of("sq020", "sh010", 4),
                                                  {"finish sq020", "commit"}}));
}

}  // namespace
}  // namespace storyreel
