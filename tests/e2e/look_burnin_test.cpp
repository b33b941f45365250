// Burn-ins, checked on decoded movies: text appears in its slot and nowhere else (against
// a build without burn-ins), a frame counter changes every frame, and the dialogue
// subtitle changes with the panel.

#include <gtest/gtest.h>

#include <memory>

#include "demo/demo_project.h"
#include "pipeline/project_loader.h"
#include "tests/support/look_build.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::decode_all_frames;
using testing::mean_difference;
using testing::Region;
using testing::RgbPicture;

std::string pipeline_with(const std::string& burnin_params) {
    std::string text = R"(pipeline: 1
name: look-test
settings: {frames_in_flight: 3}
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
)";
    if (burnin_params.empty())
        return text +
               "  - {name: prores, type: encode, needs: [conform], params: {codec: prores, "
               "profile: hq}}\n";
    return text + "  - {name: burn, type: burnins, needs: [conform], params: {size: 0.1, " +
           burnin_params +
           "}}\n  - {name: prores, type: encode, needs: [burn], params: {codec: prores, profile: "
           "hq}}\n";
}

// 320x180 frames; slots are 18-pixel text 4 pixels from the edges.
const Region kTopLeft{0, 0, 110, 34};
const Region kTopRight{210, 0, 110, 34};
const Region kMiddle{0, 56, 320, 76};
const Region kBottomCentre{70, 140, 180, 40};
const Region kBottomRight{210, 146, 110, 34};

class BurnIns : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing::TempDir();
        project_ = new demo::DemoProject(
            demo::write_demo_project(dir_->path() / "project", testing::tiny_look_demo()));
        clean_ = new std::vector<RgbPicture>(build(""));
    }
    static void TearDownTestSuite() {
        delete clean_;
        delete project_;
        delete dir_;
    }

    static std::vector<RgbPicture> build(const std::string& params) {
        static int count = 0;
        const auto out = dir_->path() / ("out" + std::to_string(count++));
        auto result =
            testing::build_with_pipeline(project_->project_file, pipeline_with(params), out);
        EXPECT_EQ(result.outputs.size(), 1u);
        return decode_all_frames(result.outputs.at(0).path);
    }

    static testing::TempDir* dir_;
    static demo::DemoProject* project_;
    static std::vector<RgbPicture>* clean_;
};
testing::TempDir* BurnIns::dir_ = nullptr;
demo::DemoProject* BurnIns::project_ = nullptr;
std::vector<RgbPicture>* BurnIns::clean_ = nullptr;

TEST_F(BurnIns, TextAppearsInItsSlotOnlyOnEveryFrame) {
    const auto frames = build("top_left: '{panel}'");
    ASSERT_EQ(frames.size(), clean_->size());
    ASSERT_EQ(static_cast<long long>(frames.size()), project_->total_frames);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_GT(mean_difference(frames[i], (*clean_)[i], kTopLeft), 8.0) << "frame " << i;
        EXPECT_LT(mean_difference(frames[i], (*clean_)[i], kTopRight), 0.5) << "frame " << i;
        EXPECT_LT(mean_difference(frames[i], (*clean_)[i], kMiddle), 0.5) << "frame " << i;
        EXPECT_LT(mean_difference(frames[i], (*clean_)[i], kBottomRight), 0.5) << "frame " << i;
    }
}

TEST_F(BurnIns, FrameCounterDiffersFrameToFrame) {
    const auto frames = build("bottom_right: 'frame {frame}'");
    ASSERT_EQ(frames.size(), clean_->size());
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
        EXPECT_GT(mean_difference(frames[i], frames[i + 1], kBottomRight), 1.0)
            << "frames " << i << "/" << i + 1;
        EXPECT_GT(mean_difference(frames[i], (*clean_)[i], kBottomRight), 8.0) << "frame " << i;
        EXPECT_LT(mean_difference(frames[i], (*clean_)[i], kTopLeft), 0.5) << "frame " << i;
        EXPECT_LT(mean_difference(frames[i], (*clean_)[i], kMiddle), 0.5) << "frame " << i;
    }
}

TEST_F(BurnIns, SubtitleFollowsThePanel) {
    const Project project = load_project_or_throw(project_->project_file);
    std::vector<const Panel*> panels;
    for (const auto& shot : project.sequences.at(0).shots)
        for (const auto& panel : shot.panels) panels.push_back(&panel);
    ASSERT_EQ(panels.size(), project_->panels.size());
    int with_dialogue = 0;
    for (const auto* panel : panels) with_dialogue += panel->dialogue.empty() ? 0 : 1;
    ASSERT_GT(with_dialogue, 0) << "the demo needs panels with dialogue";
    ASSERT_LT(with_dialogue, static_cast<int>(panels.size())) << "and panels without";

    const auto frames = build("bottom_centre: '{dialogue}'");
    ASSERT_EQ(frames.size(), clean_->size());
    for (std::size_t p = 0; p < panels.size(); ++p) {
        const auto& placed = project_->panels[p];
        for (long long f = placed.start_frame; f < placed.start_frame + placed.frames; ++f) {
            const double difference = mean_difference(frames[f], (*clean_)[f], kBottomCentre);
            if (panels[p]->dialogue.empty())
                EXPECT_LT(difference, 0.5) << placed.panel << " frame " << f << " has no dialogue";
            else
                EXPECT_GT(difference, 4.0)
                    << placed.panel << " frame " << f << " shows \"" << panels[p]->dialogue << "\"";
        }
    }
    // Neighbouring panels with different lines show different subtitles.
    for (std::size_t p = 0; p + 1 < panels.size(); ++p) {
        if (panels[p]->dialogue.empty() || panels[p + 1]->dialogue.empty() ||
            panels[p]->dialogue == panels[p + 1]->dialogue)
            continue;
        const long long last = project_->panels[p].start_frame + project_->panels[p].frames - 1;
        EXPECT_GT(mean_difference(frames[last], frames[last + 1], kBottomCentre), 2.0);
    }
}

TEST_F(BurnIns, CounterOnProResReEncodesOnlyItsRowsToTheSamePictures) {
    // Given a frame counter at the bottom and the timecode at the top, a ProRes movie whose
    // frames re-encode only the text's macroblock rows should decode to exactly the frames
    // of one that encodes every frame whole (held_frames: encode_each). Row splicing needs
    // prores_ks (a quantiser per slice from the slice alone); prores_aw carries its quantiser
    // from slice to slice and encodes such frames whole.
    std::vector<std::vector<std::string>> hashes;
    for (const std::string mode : {"reuse", "encode_each"}) {
        const std::string pipeline = std::string(R"(pipeline: 1
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: burn, type: burnins, needs: [conform], params: {size: 0.1, top_right: '{timecode}', bottom_right: 'frame {frame}'}}
  - {name: prores, type: encode, needs: [burn], params: {codec: prores, encoder: prores_ks, profile: hq, held_frames: )") +
                                     mode + "}}\n";
        auto result = testing::build_with_pipeline(project_->project_file, pipeline,
                                                   dir_->path() / ("rows-" + mode));
        ASSERT_EQ(result.outputs.size(), 1u);
        hashes.push_back(testing::decoded_frame_hashes(result.outputs.at(0).path));
    }
    ASSERT_EQ(static_cast<long long>(hashes[0].size()), project_->total_frames);
    EXPECT_EQ(hashes[0], hashes[1]);
}

}  // namespace
}  // namespace storyreel
