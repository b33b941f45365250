// A Storyboarder project with a Final Draft script: given the multi-scene fixture's boards
// (read in place through a symlinked storyboards/ folder) and a .fdx written here, the
// scenes should become sequences in the script's order: as boarded, re-ordered after
// boarding, and with a new unboarded scene and a cut one.

#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/project_loader.h"
#include "sources/project_sources.h"
#include "tests/support/shared_samples.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPlaceExt = "Scene-1-EXT-A-PLACE-DAY-1-ZX3ZM";
constexpr const char* kPlaceInt = "Scene-2-INT-A-PLACE-DAY-2-FA5K7";
constexpr const char* kHouse = "Scene-3-EXT-HOUSE-DAY-3-T5KRK";

/// A Final Draft 12 document whose scene headings are `headings`, each followed by action;
/// a heading may be split into styled <Text> runs with '|'.
std::string fdx_with(const std::vector<std::string>& headings) {
    std::string text = R"(<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
  <Content>
    <Paragraph Type="Action"><Text>FADE IN:</Text></Paragraph>
)";
    for (const auto& heading : headings) {
        text +=
            R"(    <Paragraph Type="Scene Heading"><SceneProperties Length="1/8" Page="1" Title="note"/>)";
        std::size_t from = 0;
        for (std::size_t bar; (bar = heading.find('|', from)) != std::string::npos; from = bar + 1)
            text += "<Text>" + heading.substr(from, bar - from) + "</Text>";
        text += "<Text Style=\"Bold\">" + heading.substr(from) + "</Text></Paragraph>\n";
        text += "    <Paragraph Type=\"Action\"><Text>Something happens.</Text></Paragraph>\n";
    }
    return text + "  </Content>\n</FinalDraft>\n";
}

class FinalDraftProject : public ::testing::Test {
  protected:
    /// The sequence names of a project made of the fixture's boards and this script.
    std::vector<std::string> sequences_for(const std::vector<std::string>& headings) {
        const fs::path fixture = testing::shared_sample("storyboarder/multi-scene");
        if (fixture.empty()) return {};
        const fs::path folder = dir_.path() / ("project" + std::to_string(++count_));
        fs::create_directories(folder);
        fs::create_directory_symlink(fixture / "storyboards", folder / "storyboards");
        std::ofstream(folder / "script.fdx") << fdx_with(headings);
        Diagnostics diagnostics;
        auto project =
            load_project(folder / "script.fdx", diagnostics, {&sources::project_sources(), {}});
        EXPECT_TRUE(project) << diagnostics.to_string();
        std::vector<std::string> names;
        if (project)
            for (const auto& sequence : project->sequences) names.push_back(sequence.name);
        return names;
    }

    testing::TempDir dir_;
    int count_ = 0;
};

TEST_F(FinalDraftProject, ScenesFollowTheScriptAsBoarded) {
    STORYREEL_REQUIRE_SAMPLE(fixture, "storyboarder/multi-scene");
    EXPECT_EQ(sequences_for({"EXT. A PLACE - DAY", "INT. A PLACE - DAY", "EXT. HOUSE - DAY"}),
              (std::vector<std::string>{kPlaceExt, kPlaceInt, kHouse}));
}

TEST_F(FinalDraftProject, ScenesFollowTheScriptReorderedAfterBoarding) {
    STORYREEL_REQUIRE_SAMPLE(fixture, "storyboarder/multi-scene");
    EXPECT_EQ(sequences_for({"EXT. HOUSE - DAY", "EXT. A PLACE - DAY", "INT. |A PLACE - DAY"}),
              (std::vector<std::string>{kHouse, kPlaceExt, kPlaceInt}));
}

TEST_F(FinalDraftProject, UnboardedScenesAndCutScenesAreLeftOut) {
    STORYREEL_REQUIRE_SAMPLE(fixture, "storyboarder/multi-scene");
    // A new scene 2 without boards: the boarded scenes after it keep theirs.
    EXPECT_EQ(sequences_for({"EXT. A PLACE - DAY", "EXT. ROAD - NIGHT", "INT. A PLACE - DAY",
                             "EXT. HOUSE - DAY"}),
              (std::vector<std::string>{kPlaceExt, kPlaceInt, kHouse}));
    // The interior scene cut from the script: its boards are left out.
    EXPECT_EQ(sequences_for({"EXT. A PLACE - DAY", "EXT. HOUSE - DAY"}),
              (std::vector<std::string>{kPlaceExt, kHouse}));
    // Headings renamed since boarding (no folder has their text) keep the boards of their number.
    EXPECT_EQ(sequences_for({"OPENING", "MIDDLE", "END"}),
              (std::vector<std::string>{kPlaceExt, kPlaceInt, kHouse}));
}

}  // namespace
}  // namespace storyreel
