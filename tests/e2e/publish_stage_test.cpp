// A `publish` stage in the pipeline: the build publishes the files of the output stages the
// stage needs to its root (relative to the pipeline file) with no --publish option, and
// --publish ROOT overrides that root; a bad publish stage (unknown key, the filesystem
// root, no root at all, a root inside --out, a panel stage in its needs, no output stage,
// beside settings.publish) fails validation with the pipeline file's line, before any work.

#include <set>

#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::describe;
using testing::run_storyreel;

constexpr const char* kStages = R"(pipeline: 1
name: publish-stage-test
stages:
  - {name: ingest, type: ingest}
  - {name: conform, type: conform, needs: [ingest]}
  - {name: prores, type: encode, needs: [conform], params: {codec: prores, profile: proxy}}
  - {name: review, type: encode, needs: [conform], params: {codec: h264, preset: ultrafast}}
  - {name: lists, type: cut_lists, params: {movie: prores, formats: [edl, otio]}}
)";

/// The line the publish stage is written on (the line after kStages).
constexpr int kPublishLine = 9;

std::vector<std::string> build_without_publish_option(const PublishWorkspace& ws,
                                                      const std::string& out = "out") {
    return {"build",
            "--project",
            ws.project.project_file.string(),
            "--pipeline",
            ws.pipeline_file.string(),
            "--out",
            (ws.dir.path() / out).string(),
            "--cache",
            (ws.dir.path() / "cache").string()};
}

TEST(PublishStage, PublishesTheFilesOfTheOutputStagesItNeeds) {
    PublishWorkspace ws(
        std::string(kStages) +
        "  - {name: publish, type: publish, needs: [prores, lists], params: {root: published}}\n");
    const auto first = run_storyreel(build_without_publish_option(ws));
    ASSERT_EQ(first.exit_code, 0) << describe(first);
    EXPECT_NE(first.out.find("published: Demo_Show/sq010 v1"), std::string::npos) << first.out;
    const fs::path version = ws.sequence_folder("sq010") / "v001";
    expect_version_complete(version);
    std::set<std::string> stages, files;
    const json manifest = read_json(version / "manifest.json");
    for (const auto& output : manifest.at("outputs")) {
        if (output.contains("stage")) stages.insert(output.at("stage").get<std::string>());
        files.insert(output.at("file").get<std::string>());
    }
    EXPECT_EQ(stages, (std::set<std::string>{"prores", "lists"}))
        << "the review movie is not published";
    EXPECT_TRUE(files.count("sq010_prores.mov") && files.count("sq010.edl") &&
                files.count("sq010.otio"));
    EXPECT_TRUE(fs::exists(ws.dir.path() / "out" / "sq010_review.mp4")) << "it is still built";

    // Nothing changed: nothing published; adding --publish sends it elsewhere.
    const auto again = run_storyreel(build_without_publish_option(ws));
    ASSERT_EQ(again.exit_code, 0) << describe(again);
    EXPECT_NE(again.out.find("unchanged: Demo_Show/sq010"), std::string::npos) << again.out;
    auto elsewhere = build_without_publish_option(ws);
    elsewhere.insert(elsewhere.end(), {"--publish", (ws.dir.path() / "other").string()});
    const auto overridden = run_storyreel(elsewhere);
    ASSERT_EQ(overridden.exit_code, 0) << describe(overridden);
    expect_version_complete(ws.dir.path() / "other" / "Demo_Show" / "sq010" / "v001");
    EXPECT_FALSE(fs::exists(ws.sequence_folder("sq010") / "v002"));
}

TEST(PublishStage, WithoutNeedsPublishesEveryOutputStage) {
    PublishWorkspace ws(std::string(kStages) +
                        "  - {name: publish, type: publish, params: {root: published}}\n");
    const auto result = run_storyreel(build_without_publish_option(ws));
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    std::set<std::string> stages;
    const json manifest = read_json(ws.sequence_folder("sq020") / "v001" / "manifest.json");
    for (const auto& output : manifest.at("outputs"))
        if (output.contains("stage")) stages.insert(output.at("stage").get<std::string>());
    EXPECT_EQ(stages, (std::set<std::string>{"prores", "review", "lists"}));
}

struct BadStage {
    const char* name;
    std::string stage_line;  ///< the publish stage, or another pipeline
    std::string expected;    ///< in the message
    int line = kPublishLine;
};

/// ctest lists the case by name, not as a dump of the struct's bytes.
void PrintTo(const BadStage& bad, std::ostream* out) { *out << bad.name; }

class PublishStageRefused : public ::testing::TestWithParam<BadStage> {};

TEST_P(PublishStageRefused, BeforeAnyWorkWithThePipelinesLine) {
    const BadStage& bad = GetParam();
    PublishWorkspace ws(bad.stage_line.rfind("pipeline: 1", 0) == 0
                            ? bad.stage_line
                            : std::string(kStages) + bad.stage_line);
    const auto result = run_storyreel(build_without_publish_option(ws, "out/build"));
    EXPECT_EQ(result.exit_code, 2) << describe(result);
    EXPECT_NE(result.err.find(ws.pipeline_file.string() + ":" + std::to_string(bad.line) + ":"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find(bad.expected), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(ws.dir.path() / "out" / "build")) << "validation comes before any work";
    EXPECT_FALSE(fs::exists(ws.root()));
}

INSTANTIATE_TEST_SUITE_P(
    Problems, PublishStageRefused,
    ::testing::Values(
        BadStage{"UnknownKey",
                 "  - {name: publish, type: publish, params: {root: published, rot: x}}\n", "rot"},
        BadStage{"FilesystemRoot", "  - {name: publish, type: publish, params: {root: /}}\n",
                 "filesystem root"},
        BadStage{"NoRoot", "  - {name: publish, type: publish}\n", "names no root"},
        BadStage{"RootInsideOut",
                 "  - {name: publish, type: publish, params: {root: out/build/published}}\n",
                 "inside the build's output folder"},
        BadStage{"PanelStageInNeeds",
                 "  - {name: publish, type: publish, needs: [conform], params: {root: p}}\n",
                 "a publish stage takes output stages"},
        BadStage{"BesideSettingsPublish",
                 std::string(kStages) + "  - {name: publish, type: publish, params: {root: p}}\n" +
                     "settings: {publish: elsewhere}\n",
                 "also sets settings.publish"},
        BadStage{"NoOutputStage",
                 "pipeline: 1\nstages:\n  - {name: ingest, type: ingest}\n"
                 "  - {name: publish, type: publish, params: {root: p}}\n",
                 "no output stage", 4}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace storyreel
