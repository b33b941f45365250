// A published version's review page says what changed since the previous one: publish,
// redraw one board and re-time another, publish again: the page lists exactly those two,
// the redrawn panel old and new side by side (the old thumbnail copied into the version).

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "tests/support/check_projects.h"
#include "tests/support/file_bytes.h"
#include "tests/support/headless_chromium.h"
#include "tests/support/review_project.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::read_file;

namespace fs = std::filesystem;

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

/// ROOT/<show>/sq010/vNNN (the show's folder name is the sanitised show name).
fs::path version_folder(const fs::path& root, const std::string& version) {
    for (const auto& show : fs::directory_iterator(root))
        if (fs::exists(show.path() / "sq010" / version)) return show.path() / "sq010" / version;
    return {};
}

TEST(ReviewPageChanges, ASecondPublishShowsExactlyTheRedrawnAndTheRetimedPanel) {
    testing::TempDir dir;
    const auto project = testing::write_review_project(dir.path() / "project");
    const fs::path root = dir.path() / "publish";
    testing::build_review_project(project, dir.path() / "out", {"--publish", root.string()});
    const std::string first =
        read_file(version_folder(root, "v001") / "sq010_report" / "index.html");
    EXPECT_NE(first.find("The first published version."), std::string::npos);
    EXPECT_NE(first.find("Published as v001 on "), std::string::npos);

    testing::write_drawn_board(project.boards / "p001.png", 320, 180, 4242);  // sh010/p001 redrawn
    std::string yaml = read_file(project.project);
    const auto last_hold = yaml.rfind("frames: 48");  // sh020/p002, the last panel
    ASSERT_NE(last_hold, std::string::npos);
    yaml.replace(last_hold, 10, "frames: 60");
    std::ofstream(project.project) << yaml;
    testing::build_review_project(project, dir.path() / "out", {"--publish", root.string()});

    const fs::path page = version_folder(root, "v002") / "sq010_report" / "index.html";
    const std::string html = read_file(page);
    EXPECT_NE(html.find("Changes since v001"), std::string::npos);
    EXPECT_NE(html.find("Published as v002 on "), std::string::npos);
    // Exactly two panel changes (a finding the new timing raises or clears would be listed
    // apart, as a finding change).
    std::size_t panel_changes = 0;
    for (const char* kind : {"redrawn", "retimed", "added", "removed", "reordered"})
        panel_changes += count(html, std::string("data-kind=\"") + kind + "\"");
    EXPECT_EQ(panel_changes, 2u) << html.substr(html.find("id=\"changes\""), 2000);
    EXPECT_NE(html.find("data-kind=\"redrawn\" data-panel=\"sq010/sh010/p001\""),
              std::string::npos);
    EXPECT_NE(html.find("data-kind=\"retimed\" data-panel=\"sq010/sh020/p002\""),
              std::string::npos);
    EXPECT_NE(html.find("48 &rarr; 60 frames"), std::string::npos);

    // Old and new drawings side by side, both loading from the published version.
    testing::HeadlessChromium browser;
    browser.open("file://" + page.string());
    const nlohmann::json pictures = browser.evaluate(R"js(
        Promise.all(Array.from(document.querySelectorAll('#changes .side-by-side img')).map(function (image) {
          image.loading = 'eager';
          if (image.complete) return [image.getAttribute('src'), image.naturalWidth > 0];
          return new Promise(function (done) {
            image.onload = function () { done([image.getAttribute('src'), image.naturalWidth > 0]); };
            image.onerror = function () { done([image.getAttribute('src'), false]); };
          });
        })))js");
    ASSERT_EQ(pictures.size(), 2u) << pictures.dump();
    EXPECT_NE(pictures[0][0], pictures[1][0]) << "old and new are different drawings";
    for (const auto& picture : pictures) EXPECT_TRUE(picture[1].get<bool>()) << picture.dump();
    EXPECT_TRUE(browser.problems().empty());
}

}  // namespace
}  // namespace storyreel
