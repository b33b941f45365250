// The review page as a person opens it: Debian's chromium, headless, from a file:// URL,
// driven over the DevTools protocol. Nothing the page does may log a console error or fail a
// request; every thumbnail loads; the cards, the findings and the text are those of the
// build; a click on the timeline scrolls to the card; the screenshot shows something.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/headless_chromium.h"
#include "tests/support/review_project.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string problems_text(const testing::HeadlessChromium& browser) {
    std::string text;
    for (const auto& problem : browser.problems()) text += problem + "\n";
    return text;
}

/// A built review project and its page open in chromium (one build for the suite).
class ReviewPageInChromium : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new testing::TempDir();
        project_ =
            new testing::ReviewProject(testing::write_review_project(dir_->path() / "project"));
        testing::build_review_project(*project_, dir_->path() / "out");
    }
    static void TearDownTestSuite() {
        delete project_;
        delete dir_;
    }
    static fs::path page() { return dir_->path() / "out" / "sq010_report" / "index.html"; }
    static json build_report() {
        std::ifstream in(dir_->path() / "out" / "build.json");
        return json::parse(in);
    }

    static testing::TempDir* dir_;
    static testing::ReviewProject* project_;
};
testing::TempDir* ReviewPageInChromium::dir_ = nullptr;
testing::ReviewProject* ReviewPageInChromium::project_ = nullptr;

TEST_F(ReviewPageInChromium, OpensFromAFileUrlWithoutErrorsAndLoadsEveryThumbnail) {
    testing::HeadlessChromium browser;
    const auto took = browser.open("file://" + page().string());
    EXPECT_LT(took.count(), 10.0);
    // Lazy thumbnails below the fold load as they are scrolled to: load them all now.
    const json loaded = browser.evaluate(R"js(
        Promise.all(Array.from(document.querySelectorAll('.card img')).map(function (image) {
          image.loading = 'eager';
          if (image.complete) return image.naturalWidth > 0;
          return new Promise(function (done) {
            image.onload = function () { done(image.naturalWidth > 0); };
            image.onerror = function () { done(false); };
          });
        })))js");
    ASSERT_EQ(loaded.size(), static_cast<std::size_t>(project_->panels));
    for (const auto& ok : loaded) EXPECT_TRUE(ok.get<bool>());
    EXPECT_TRUE(browser.problems().empty()) << problems_text(browser);
}

TEST_F(ReviewPageInChromium, ShowsOneCardPerPanelAndTheFindingsOfBuildJson) {
    testing::HeadlessChromium browser;
    browser.open("file://" + page().string());
    const json build = build_report();
    EXPECT_EQ(browser.evaluate("document.querySelectorAll('article.card').length"),
              build.at("timing").size());
    std::vector<std::string> expected;
    for (const auto& finding : build.at("checks").at("findings"))
        expected.push_back(finding.at("rule"));
    ASSERT_FALSE(expected.empty()) << "the project has a line too long for its hold";
    const json shown = browser.evaluate(
        "Array.from(document.querySelectorAll('#findings tbody tr')).map(r => r.dataset.rule)");
    EXPECT_EQ(shown.get<std::vector<std::string>>(), expected);
    EXPECT_TRUE(browser.problems().empty()) << problems_text(browser);
}

TEST_F(ReviewPageInChromium, ProjectTextShowsAsTextNeverAsMarkup) {
    testing::HeadlessChromium browser;
    browser.open("file://" + page().string());
    EXPECT_EQ(browser.evaluate("document.scripts.length"), 1) << "only the page's own script";
    const std::string dialogue =
        browser.evaluate("document.querySelector('#card-0 .dialogue').textContent");
    EXPECT_NE(dialogue.find("<script>alert(1)</script> & \"quoted\" 'single'"), std::string::npos)
        << dialogue;
    const std::string cyrillic =
        browser.evaluate("document.querySelector('#card-1 .dialogue').textContent");
    EXPECT_NE(cyrillic.find("Привет"), std::string::npos);
    const std::string notes =
        browser.evaluate("document.querySelector('#card-2 .notes').textContent");
    EXPECT_NE(notes.find("Storm & <b>lightning</b>"), std::string::npos) << notes;
    const std::string title = browser.evaluate("document.querySelector('h1').textContent");
    EXPECT_EQ(title, "A & B \"Pilot\" <script> sq010");
}

TEST_F(ReviewPageInChromium, ClickingAPanelInTheTimelineScrollsItsCardIntoView) {
    testing::HeadlessChromium browser(1000, 400);  // short: the last card starts out of view
    browser.open("file://" + page().string());
    const json target = browser.evaluate(R"js((function () {
        document.getElementById('timeline').scrollIntoView({block: 'start'});
        var links = document.querySelectorAll('#timeline .tl-panel');
        var link = links[links.length - 1];
        var box = link.getBoundingClientRect();
        var card = document.getElementById(link.dataset.card).getBoundingClientRect();
        return {x: box.left + box.width / 2, y: box.top + box.height / 2, card: link.dataset.card,
                card_top: card.top, height: window.innerHeight};
      })())js");
    ASSERT_GT(target.at("card_top").get<double>(), target.at("height").get<double>())
        << "the card must start below the fold for the test to mean anything";
    browser.click(target.at("x"), target.at("y"));
    const json after = browser.evaluate("(function () { var b = document.getElementById('" +
                                        target.at("card").get<std::string>() +
                                        "').getBoundingClientRect(); return {top: b.top, bottom: "
                                        "b.bottom, height: window.innerHeight}; })()");
    EXPECT_GE(after.at("top").get<double>(), 0.0) << after.dump();
    EXPECT_LE(after.at("bottom").get<double>(), after.at("height").get<double>()) << after.dump();
    EXPECT_TRUE(browser.problems().empty()) << problems_text(browser);
}

TEST_F(ReviewPageInChromium, TheScreenshotIsNotBlank) {
    testing::HeadlessChromium browser;
    browser.open("file://" + page().string());
    const fs::path png = dir_->path() / "screenshot.png";
    std::ofstream(png, std::ios::binary) << browser.screenshot_png();
    OIIO::ImageBuf shot(png.string());
    ASSERT_TRUE(shot.read()) << shot.geterror();
    EXPECT_GE(shot.spec().width, 1000);
    // Not one flat colour: a page with text, a timeline and thumbnails varies a lot.
    const auto stats = OIIO::ImageBufAlgo::computePixelStats(shot);
    ASSERT_GE(stats.stddev.size(), 3u);
    EXPECT_GT(stats.stddev[0] + stats.stddev[1] + stats.stddev[2], 0.15f);
}

}  // namespace
}  // namespace storyreel
