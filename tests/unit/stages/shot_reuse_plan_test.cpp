// The encode stage's shot-reuse plan on its own (no libav, no pixels): which shots come from
// the cache, why the others are rebuilt, and which panels' pixels the stage then needs.
#include "stages/shot_reuse_plan.h"

#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/project_loader.h"
#include "tests/support/check_projects.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

class ShotReusePlanTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::vector<testing::TestPanel> panels;
        for (const char* shot : {"sh010", "sh020"})
            for (const char* name : {"p001", "p002"}) {
                testing::TestPanel panel;
                panel.shot = shot, panel.name = name;
                panel.board = std::string(shot) + "_" + name + ".png";
                panels.push_back(panel);
            }
        project_ =
            load_project_or_throw(testing::write_check_project(dir_.path() / "project", panels));
        Diagnostics ignored;
        plan_ = plan_cut(project_, OutputGrouping::PerSequence, {}, ignored);
    }

    ShotReusePlan plan(const std::string& settings, std::int64_t extra_frames_of_p002 = 0) {
        return ShotReusePlan(
            "encode", plan_, settings,
            [&](const PanelSlot& slot) {
                const bool longer = slot.panel->name == "p002" && slot.shot->name == "sh010";
                return PanelIngredient{slot.panel->name, "hash-" + slot.name(),
                                       slot.frames() + (longer ? extra_frames_of_p002 : 0), ""};
            },
            cache_, log_);
    }

    /// Builds every shot of `shots` as the encode stage would: a cache entry, then the log.
    void build(ShotReusePlan& shots) {
        for (const auto& slot : plan_.slots) {
            if (!slot.last_in_shot || shots.built(slot)) continue;
            const PlannedShot& shot = shots.shot_of(slot);
            PendingEntry entry = cache_.begin(shot.key, "segment.mov");
            std::ofstream(entry.artifact) << "segment of " << shot.span->name();
            shots.set_segment(slot, cache_.publish(entry));
            log_.record("encode", shot.span->name(), shot.ingredients);
        }
    }

    testing::TempDir dir_;
    Project project_;
    CutPlan plan_;
    ArtifactCache cache_{dir_.path() / "cache"};
    BuildLog log_{dir_.path() / "log"};
};

TEST_F(ShotReusePlanTest, AFirstBuildRebuildsEveryShotNeverBuiltHere) {
    ShotReusePlan shots = plan("prores hq");
    ASSERT_EQ(shots.decisions().size(), 2u);
    for (const auto& decision : shots.decisions()) {
        EXPECT_FALSE(decision.reused);
        EXPECT_EQ(decision.reasons, std::vector<std::string>{"not in cache (never built here)"});
    }
    EXPECT_NE(shots.decisions()[0].key, shots.decisions()[1].key);
}

TEST_F(ShotReusePlanTest, ASecondBuildReusesEveryShotAndNeedsNoPixels) {
    ShotReusePlan first = plan("prores hq");
    build(first);
    ShotReusePlan second = plan("prores hq");
    for (const auto& decision : second.decisions()) {
        EXPECT_TRUE(decision.reused) << decision.shot;
        EXPECT_EQ(decision.reasons, std::vector<std::string>{"in cache"});
    }
    const PixelNeeds needs = pixel_needs(
        plan_, second, [](const PanelSlot&) { return std::vector<const PanelSlot*>{}; },
        [](const PanelSlot&) { return true; });
    EXPECT_EQ(std::count(needs.pixels.begin(), needs.pixels.end(), true), 0);
}

TEST_F(ShotReusePlanTest, ARetimedPanelRebuildsItsShotAloneAndSaysWhy) {
    ShotReusePlan first = plan("prores hq");
    build(first);
    ShotReusePlan second = plan("prores hq", 6);
    EXPECT_FALSE(second.decisions()[0].reused);
    ASSERT_EQ(second.decisions()[0].reasons.size(), 1u);
    EXPECT_NE(second.decisions()[0].reasons[0].find("p002"), std::string::npos)
        << second.decisions()[0].reasons[0];
    EXPECT_TRUE(second.decisions()[1].reused);
    // Pixels of the rebuilt shot only; a transition into a reused neighbour needs its pixels too.
    const PanelSlot& neighbour = plan_.slots[2];  // sh020/p001, in a reused shot
    const PixelNeeds needs = pixel_needs(
        plan_, second,
        [&](const PanelSlot& slot) {
            return slot.ordinal == 1 ? std::vector<const PanelSlot*>{&neighbour}
                                     : std::vector<const PanelSlot*>{};
        },
        [](const PanelSlot&) { return true; });
    EXPECT_EQ(needs.pixels, (std::vector<bool>{true, true, true, false}));
    EXPECT_EQ(needs.plain_still, (std::vector<bool>{true, true, false, false}));
}

TEST_F(ShotReusePlanTest, ChangedSettingsRebuildEveryShot) {
    ShotReusePlan first = plan("prores hq");
    build(first);
    ShotReusePlan second = plan("prores lt");
    for (const auto& decision : second.decisions()) {
        EXPECT_FALSE(decision.reused);
        EXPECT_FALSE(decision.reasons.empty());
    }
}

TEST_F(ShotReusePlanTest, AShotRemovedFromTheCacheIsRebuiltAndSaysSo) {
    ShotReusePlan first = plan("prores hq");
    build(first);
    fs::remove_all(*first.shots()[1].segment);
    ShotReusePlan second = plan("prores hq");
    EXPECT_TRUE(second.decisions()[0].reused);
    EXPECT_FALSE(second.decisions()[1].reused);
    EXPECT_EQ(second.decisions()[1].reasons.size(), 1u);
}

}  // namespace
}  // namespace storyreel
