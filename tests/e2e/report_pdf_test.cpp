// The printable boards, read back with poppler: the page count the layout implies, every
// panel name and dialogue line as text (Cyrillic included), fonts embedded (vector text), a
// board region on the first page that is not blank, paper and orientation as asked.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include "report/boards_pdf.h"
#include "tests/support/cli_runner.h"
#include "tests/support/review_project.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using testing::describe;
using testing::run_program;

std::string run_ok(const std::vector<std::string>& command) {
    const auto result = run_program(command);
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    return result.out;
}

TEST(BoardsPdf, GridFollowsPanelsPerPageAndOrientation) {
    report::BoardsPdfLayout layout;
    EXPECT_EQ(report::panel_grid(layout).columns, 3);
    EXPECT_EQ(report::panel_grid(layout).rows, 2);
    layout.orientation = report::Orientation::Portrait;
    EXPECT_EQ(report::panel_grid(layout).columns, 2);
    EXPECT_EQ(report::panel_grid(layout).rows, 3);
    layout.panels_per_page = 1;
    EXPECT_EQ(report::panel_grid(layout).columns * report::panel_grid(layout).rows, 1);
    // At 200 dpi a third of an A4 landscape page is some 700 pixels wide.
    layout = {};
    const auto size = report::print_size(layout, 1920, 1080);
    EXPECT_GT(size.width, 600);
    EXPECT_LT(size.width, 800);
}

TEST(BoardsPdf, HasEveryPanelAndLineAsTextOnThePagesTheLayoutImplies) {
    testing::TempDir dir;
    const auto project =
        testing::write_review_project(dir.path() / "project", "{pdf: {panels_per_page: 3}}");
    testing::build_review_project(project, dir.path() / "out");
    const fs::path pdf = dir.path() / "out" / "sq010_boards.pdf";
    ASSERT_TRUE(fs::is_regular_file(pdf));
    const std::string info = run_ok({"pdfinfo", pdf.string()});
    EXPECT_NE(info.find("Pages:           2"), std::string::npos) << info;  // 4 panels, 3 a page
    EXPECT_NE(info.find("841.89 x 595.276 pts (A4)"), std::string::npos) << info;  // landscape
    const std::string text = run_ok({"pdftotext", "-layout", pdf.string(), "-"});
    for (const char* name :
         {"sq010/sh010/p001", "sq010/sh010/p002", "sq010/sh020/p001", "sq010/sh020/p002"})
        EXPECT_NE(text.find(name), std::string::npos) << name << "\n" << text;
    EXPECT_NE(text.find("<script>alert(1)</script>"), std::string::npos) << text;
    EXPECT_NE(text.find("Привет, как дела?"), std::string::npos) << text;
    EXPECT_NE(text.find("Page 2 of 2"), std::string::npos);
    EXPECT_NE(text.find("01:00:00:00"), std::string::npos) << "record timecode";
    EXPECT_NE(text.find("48 fr / 2.00 s"), std::string::npos) << "hold";
    const std::string fonts = run_ok({"pdffonts", pdf.string()});
    EXPECT_NE(fonts.find(" yes "), std::string::npos) << "text is set in embedded fonts:\n"
                                                      << fonts;
    // The first board (top left cell) rendered: white paper with dark strokes, not blank.
    run_ok({"pdftoppm", "-f", "1", "-l", "1", "-r", "50", "-png", pdf.string(),
            (dir.path() / "page").string()});
    OIIO::ImageBuf page((dir.path() / "page-1.png").string());
    ASSERT_TRUE(page.read()) << page.geterror();
    const int width = page.spec().width, height = page.spec().height;
    const OIIO::ImageBuf board = OIIO::ImageBufAlgo::cut(
        page, OIIO::ROI(width * 6 / 100, width * 40 / 100, height * 12 / 100, height * 35 / 100));
    const auto stats = OIIO::ImageBufAlgo::computePixelStats(board);
    EXPECT_GT(stats.stddev[0], 0.05f) << "a drawn board, not an empty box";
}

TEST(BoardsPdf, LetterPortraitIsHonoured) {
    testing::TempDir dir;
    const auto project = testing::write_review_project(
        dir.path() / "project",
        "{pdf: {panels_per_page: 2, paper: letter, orientation: portrait}}");
    testing::build_review_project(project, dir.path() / "out");
    const std::string info =
        run_ok({"pdfinfo", (dir.path() / "out" / "sq010_boards.pdf").string()});
    EXPECT_NE(info.find("Pages:           2"), std::string::npos) << info;
    EXPECT_NE(info.find("612 x 792 pts (letter)"), std::string::npos) << info;
}

}  // namespace
}  // namespace storyreel
