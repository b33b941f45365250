// Publishing builds as numbered versions: manifest and checksums, `latest`, change lists
// that name exactly what changed, no new version when nothing did, distinct numbers for
// publishes running at once.

#include <future>
#include <set>

#include "tests/support/publish_test_support.h"

namespace storyreel {
namespace {

using namespace publish_test;
using testing::describe;

std::set<std::string> panel_names(const json& list) {
    std::set<std::string> names;
    for (const auto& entry : list) names.insert(entry.at("panel").get<std::string>());
    return names;
}

TEST(PublishVersions, FirstPublishWritesVersionManifestAndLatest) {
    PublishWorkspace ws;
    const auto result = ws.publish();
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    EXPECT_NE(result.out.find("published: Demo_Show/sq010 v1"), std::string::npos) << result.out;

    const fs::path folder = ws.sequence_folder("sq010");
    EXPECT_EQ(visible_entries(folder), (std::vector<std::string>{"latest", "latest.json", "v001"}));
    EXPECT_EQ(fs::read_symlink(folder / "latest"), fs::path("v001"));
    EXPECT_EQ(read_json(folder / "latest.json").at("version"), 1);
    expect_version_complete(folder / "v001");

    const json manifest = read_json(folder / "v001" / "manifest.json");
    EXPECT_EQ(manifest.at("version"), 1);
    EXPECT_TRUE(manifest.at("previous_version").is_null());
    EXPECT_EQ(manifest.at("tool").at("name"), "storyreel");
    EXPECT_FALSE(manifest.at("tool").at("version").get<std::string>().empty());
    // Every panel of the sequence, in cut order, with frames and record timecodes.
    std::vector<std::string> expected_panels;
    long long frames = 0;
    for (std::size_t i = 0; i < ws.project.panels.size(); ++i)
        if (ws.project.panels[i].sequence == "sq010") {
            expected_panels.push_back(ws.panel_name(i));
            frames += ws.project.panels[i].frames;
        }
    ASSERT_EQ(manifest.at("panels").size(), expected_panels.size());
    for (std::size_t i = 0; i < expected_panels.size(); ++i)
        EXPECT_EQ(manifest.at("panels")[i].at("panel"), expected_panels[i]);
    EXPECT_EQ(manifest.at("frame_count"), frames);
    EXPECT_EQ(manifest.at("panels")[0].at("record_in"), "01:00:00:00");
    // Inputs carry content hashes; stages their settings and params.
    for (const auto& input : manifest.at("inputs"))
        EXPECT_EQ(input.at("hash").get<std::string>().rfind("xxh128:", 0), 0u) << input.dump();
    bool found_prores = false;
    for (const auto& stage : manifest.at("stages"))
        if (stage.at("name") == "prores") {
            found_prores = true;
            EXPECT_EQ(stage.at("params").at("profile"), "proxy");
        }
    EXPECT_TRUE(found_prores);
    // The movie and build.json, each with a SHA-256 that sha256sum agrees with (checked
    // above) and a SHA256SUMS file in sha256sum's own format.
    std::set<std::string> files;
    for (const auto& output : manifest.at("outputs")) files.insert(output.at("file"));
    EXPECT_EQ(files, (std::set<std::string>{"sq010_prores.mov", "build.json"}));
    EXPECT_EQ(
        std::system(
            ("cd '" + (folder / "v001").string() + "' && sha256sum --quiet -c SHA256SUMS").c_str()),
        0);
}

TEST(PublishVersions, SecondVersionNamesExactlyTheRedrawnAndRetimedPanels) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const fs::path folder = ws.sequence_folder("sq010");
    const std::string v1_movie_sum = coreutils_sha256(folder / "v001" / "sq010_prores.mov");

    const std::size_t redrawn = 1, retimed = 2;  // sq010/sh010/p002 and sq010/sh020/p001
    ASSERT_EQ(ws.project.panels[redrawn].sequence, "sq010");
    ASSERT_EQ(ws.project.panels[retimed].sequence, "sq010");
    ws.redraw(redrawn, {0.9f, 0.1f, 0.6f});
    const long long old_frames = ws.project.panels[retimed].frames, new_frames = old_frames + 5;
    ws.retime(retimed, new_frames);

    const auto second = ws.publish("out2");
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    EXPECT_NE(second.out.find("published: Demo_Show/sq010 v2"), std::string::npos) << second.out;
    EXPECT_NE(second.out.find("unchanged: Demo_Show/sq020"), std::string::npos) << second.out;
    EXPECT_EQ(visible_entries(ws.sequence_folder("sq020")),
              (std::vector<std::string>{"latest", "latest.json", "v001"}));

    EXPECT_EQ(fs::read_symlink(folder / "latest"), fs::path("v002"));
    expect_version_complete(folder / "v002");
    EXPECT_EQ(coreutils_sha256(folder / "v001" / "sq010_prores.mov"), v1_movie_sum);

    const json changes = read_json(folder / "v002" / "changes.json");
    EXPECT_EQ(changes.at("against_version"), 1);
    const json& panels = changes.at("panels");
    EXPECT_EQ(panel_names(panels.at("redrawn")), std::set<std::string>{ws.panel_name(redrawn)});
    EXPECT_EQ(panel_names(panels.at("retimed")), std::set<std::string>{ws.panel_name(retimed)});
    for (const char* kind : {"added", "removed", "reordered", "audio_changed", "text_changed"})
        EXPECT_TRUE(panels.at(kind).empty()) << kind << ": " << panels.at(kind).dump();
    EXPECT_EQ(panels.at("retimed")[0].at("before").at("frames"), old_frames);
    EXPECT_EQ(panels.at("retimed")[0].at("after").at("frames"), new_frames);
    // Both shots affected, with record timecodes in both versions.
    std::set<std::string> shots;
    for (const auto& shot : changes.at("shots")) {
        shots.insert(shot.at("shot").get<std::string>());
        EXPECT_FALSE(shot.at("before").at("record_in").get<std::string>().empty());
        EXPECT_FALSE(shot.at("after").at("record_out").get<std::string>().empty());
    }
    EXPECT_EQ(shots, (std::set<std::string>{"sq010/sh010", "sq010/sh020"}));
    const std::string text = read_text(folder / "v002" / "CHANGES.txt");
    EXPECT_NE(text.find(ws.panel_name(retimed) + "  " + std::to_string(old_frames) + " -> " +
                        std::to_string(new_frames) + " frames"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("Redrawn:\n  " + ws.panel_name(redrawn)), std::string::npos) << text;

    // Nothing changed: nothing published, and it says so.
    const auto third = ws.publish("out3");
    ASSERT_EQ(third.exit_code, 0) << describe(third);
    EXPECT_NE(third.out.find(
                  "unchanged: Demo_Show/sq010: nothing that determines the cut changed since v2"),
              std::string::npos)
        << third.out;
    EXPECT_EQ(visible_entries(folder),
              (std::vector<std::string>{"latest", "latest.json", "v001", "v002"}));

    // --force publishes anyway; its change list is empty.
    const auto forced = ws.publish("out3", true);
    ASSERT_EQ(forced.exit_code, 0) << describe(forced);
    EXPECT_EQ(fs::read_symlink(folder / "latest"), fs::path("v003"));
    EXPECT_EQ(read_json(folder / "v003" / "changes.json").at("shots").size(), 0u);
}

TEST(PublishVersions, ConcurrentPublishesGetDistinctVersions) {
    PublishWorkspace ws;
    auto first = std::async(std::launch::async, [&] { return ws.publish("out_a", true); });
    auto second = std::async(std::launch::async, [&] { return ws.publish("out_b", true); });
    const auto a = first.get(), b = second.get();
    ASSERT_EQ(a.exit_code, 0) << describe(a);
    ASSERT_EQ(b.exit_code, 0) << describe(b);
    for (const char* sequence : {"sq010", "sq020"}) {
        const fs::path folder = ws.sequence_folder(sequence);
        EXPECT_EQ(visible_entries(folder),
                  (std::vector<std::string>{"latest", "latest.json", "v001", "v002"}));
        expect_version_complete(folder / "v001");
        expect_version_complete(folder / "v002");
        EXPECT_EQ(fs::read_symlink(folder / "latest"), fs::path("v002"));
    }
}

TEST(PublishVersions, ADissolveAddedToAPanelIsANewVersionNamingItsLook) {
    PublishWorkspace ws;
    ASSERT_EQ(ws.publish().exit_code, 0);
    const std::size_t panel = 1;
    std::string text = read_text(ws.project.project_file);
    const std::string line = "board: " + ws.project.panels.at(panel).board_file + "\n";
    ASSERT_NE(text.find(line), std::string::npos);
    text.replace(text.find(line), line.size(),
                 line + "            transition: {type: dissolve, frames: 2}\n");
    std::ofstream(ws.project.project_file, std::ios::binary | std::ios::trunc) << text;
    const auto second = ws.publish("out2");
    ASSERT_EQ(second.exit_code, 0) << describe(second);
    EXPECT_NE(second.out.find("published: Demo_Show/sq010 v2"), std::string::npos) << second.out;
    EXPECT_NE(second.out.find("unchanged: Demo_Show/sq020"), std::string::npos) << second.out;
    const json changes = read_json(ws.sequence_folder("sq010") / "v002" / "changes.json");
    EXPECT_EQ(panel_names(changes.at("panels").at("look_changed")),
              std::set<std::string>{ws.panel_name(panel)});
    EXPECT_NE(read_text(ws.sequence_folder("sq010") / "v002" / "CHANGES.txt").find("Look changed"),
              std::string::npos);
    const auto third = ws.publish("out2");
    ASSERT_EQ(third.exit_code, 0) << describe(third);
    EXPECT_NE(third.out.find("unchanged: Demo_Show/sq010"), std::string::npos) << third.out;
}

TEST(PublishVersions, PipelineSettingPublishesWithoutTheOption) {
    PublishWorkspace ws(std::string(kProresPipeline) + "settings: {publish: published}\n");
    const auto result = testing::run_storyreel(
        {"build", "--project", ws.project.project_file.string(), "--pipeline",
         ws.pipeline_file.string(), "--out", (ws.dir.path() / "out").string()});
    ASSERT_EQ(result.exit_code, 0) << describe(result);
    expect_version_complete(ws.sequence_folder("sq010") / "v001");
}

}  // namespace
}  // namespace storyreel

namespace storyreel {
namespace {

TEST(PublishVersions, PartOfASequenceIsNotPublished) {
    publish_test::PublishWorkspace ws;
    auto args = ws.build_args("out");
    args.insert(args.end(), {"--only", "sq010/sh010"});
    const auto result = testing::run_storyreel(args);
    EXPECT_EQ(result.exit_code, 64) << testing::describe(result);
    EXPECT_NE(result.err.find("--publish publishes whole sequences"), std::string::npos)
        << result.err;
    EXPECT_FALSE(std::filesystem::exists(ws.root()));
}

}  // namespace
}  // namespace storyreel
