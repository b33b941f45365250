// The report stage in real builds: a page and a JPEG thumbnail per board, thumbnails cached
// by content (one redrawn board: one new thumbnail), published with its folder and pulled
// with `pull --what report`.

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/check_projects.h"
#include "tests/support/cli_runner.h"
#include "tests/support/review_project.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::describe;
using testing::run_storyreel;

json read_json(const fs::path& file) {
    std::ifstream in(file);
    return json::parse(in);
}

std::set<std::string> files_in(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) names.insert(entry.path().filename());
    return names;
}

json report_stage_report(const json& build) {
    for (const auto& stage : build.at("stages"))
        if (stage.at("name") == "report") return stage.at("report");
    return {};
}

TEST(ReportStage, WritesAPageAndAJpegThumbnailPerBoard) {
    testing::TempDir dir;
    const auto project = testing::write_review_project(dir.path() / "project");
    testing::build_review_project(project, dir.path() / "out");
    const fs::path page = dir.path() / "out" / "sq010_report" / "index.html";
    ASSERT_TRUE(fs::is_regular_file(page));
    const auto thumbnails = files_in(page.parent_path() / "thumbs");
    EXPECT_EQ(thumbnails.size(), static_cast<std::size_t>(project.panels));
    for (const auto& name : thumbnails) {
        std::ifstream in(page.parent_path() / "thumbs" / name, std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
        ASSERT_GE(bytes.size(), 3u);
        EXPECT_EQ(bytes.substr(0, 3), "\xFF\xD8\xFF") << name << " is a JPEG";
        EXPECT_LT(bytes.size(), 60'000u) << name << ": a few tens of KB at most";
    }
    const json build = read_json(dir.path() / "out" / "build.json");
    std::size_t pages = 0, thumbnail_records = 0;
    for (const auto& output : build.at("outputs")) {
        pages += output.at("kind") == "review_page";
        thumbnail_records += output.at("kind") == "thumbnail";
    }
    EXPECT_EQ(pages, 1u);
    EXPECT_EQ(thumbnail_records, thumbnails.size());
    EXPECT_EQ(report_stage_report(build).at("thumbnails_written"), project.panels);
    std::ifstream in(page);
    const std::string html{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(html.find("<video controls preload=\"metadata\" src=\"../sq010_review.mp4\">"),
              std::string::npos);
}

TEST(ReportStage, ARebuildWithOneRedrawnBoardWritesOneNewThumbnail) {
    testing::TempDir dir;
    const auto project = testing::write_review_project(dir.path() / "project");
    testing::build_review_project(project, dir.path() / "out");
    const fs::path thumbs = dir.path() / "out" / "sq010_report" / "thumbs";
    const auto before = files_in(thumbs);
    testing::write_drawn_board(project.boards / "p002.png", 320, 180, 99);  // redrawn
    testing::build_review_project(project, dir.path() / "out");
    const json report = report_stage_report(read_json(dir.path() / "out" / "build.json"));
    EXPECT_EQ(report.at("thumbnails_written"), 1);
    EXPECT_EQ(report.at("thumbnails_reused"), project.panels - 1);
    const auto after = files_in(thumbs);
    EXPECT_EQ(after.size(), before.size()) << "the old drawing's thumbnail is gone";
    std::vector<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::back_inserter(added));
    EXPECT_EQ(added.size(), 1u);
}

TEST(ReportStage, IsPublishedWithItsFolderAndPulledWithWhatReport) {
    testing::TempDir dir;
    const auto project = testing::write_review_project(dir.path() / "project");
    const fs::path root = dir.path() / "publish";
    testing::build_review_project(project, dir.path() / "out", {"--publish", root.string()});
    const auto pulled =
        run_storyreel({"pull", "--publish", root.string(), "--sequence", "sq010", "--to",
                       (dir.path() / "editor").string(), "--what", "report,movie"});
    ASSERT_EQ(pulled.exit_code, 0) << describe(pulled);
    const fs::path page = dir.path() / "editor" / "sq010_report" / "index.html";
    EXPECT_TRUE(fs::is_regular_file(page)) << pulled.out;
    EXPECT_EQ(files_in(page.parent_path() / "thumbs").size(),
              static_cast<std::size_t>(project.panels));
    EXPECT_TRUE(fs::is_regular_file(dir.path() / "editor" / "sq010_review.mp4"))
        << "the page's movie";
    EXPECT_TRUE(fs::is_regular_file(dir.path() / "editor" / "build.json"));
}

TEST(ReportStage, RefusesAMovieThatIsNotAnEncodeStage) {
    testing::TempDir dir;
    auto project = testing::write_review_project(dir.path() / "project");
    std::ofstream(project.pipeline, std::ios::app)
        << "  - {name: report2, type: report, needs: [conform], params: {movie: conform, "
           "thumbnail_width: 8}}\n";
    const auto result =
        run_storyreel({"build", "--project", project.project.string(), "--pipeline",
                       project.pipeline.string(), "--out", (dir.path() / "out").string()});
    EXPECT_NE(result.exit_code, 0);
    EXPECT_NE(result.err.find("'conform' is not an encode stage"), std::string::npos)
        << describe(result);
    EXPECT_NE(result.err.find("thumbnail_width"), std::string::npos) << describe(result);
}

}  // namespace
}  // namespace storyreel
