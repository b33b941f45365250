// The printable boards after a rebuild: one redrawn board updates the PDF by appending its
// page (the previous file is a prefix of the new one) instead of writing it whole; the
// result is read by tools nobody here wrote (qpdf --check, pdfinfo, pdftotext, pdftoppm),
// its redrawn page renders like a from-scratch build's and unlike before, the other pages
// as before. Re-timed, added and removed panels, a missing previous file and one changed
// behind the build log's back are written whole, and read back the same way.

#include <OpenImageIO/imagebuf.h>
#include <OpenImageIO/imagebufalgo.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/check_projects.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::describe;
using testing::run_program;

constexpr int kPanels = 12;  // one a page

struct Boards {
    fs::path dir, project, pipeline;
    std::vector<testing::TestPanel> panels;

    explicit Boards(const fs::path& folder) : dir(folder) {
        for (int i = 0; i < kPanels; ++i) {
            testing::TestPanel panel;
            panel.shot = i < kPanels / 2 ? "sh010" : "sh020";
            panel.name = "p" + std::to_string(100 + i);
            panel.width = 640;
            panel.height = 360;
            panel.dialogue = "Line number " + std::to_string(i);
            panels.push_back(panel);
        }
        write();
        pipeline = dir / "boards.yaml";
        std::ofstream(pipeline) << "pipeline: 1\nstages:\n"
                                   "  - {name: ingest, type: ingest}\n"
                                   "  - {name: conform, type: conform, needs: [ingest]}\n"
                                   "  - {name: report, type: report, needs: [conform], params: "
                                   "{pdf: {panels_per_page: 1}}}\n";
    }
    void write() {
        project = testing::write_check_project(
            dir, panels, {}, {}, "{name: boards, frame_rate: \"24\", resolution: 640x360}");
    }
    void redraw(int panel, unsigned seed) const {
        testing::write_drawn_board(dir / "boards" / (panels[panel].name + ".png"), 640, 360, seed);
    }
};

/// `storyreel build` into `out`; returns the report stage's report.
json build(const Boards& boards, const fs::path& out) {
    const auto result =
        testing::run_storyreel({"build", "--project", boards.project.string(), "--pipeline",
                                boards.pipeline.string(), "--out", out.string()});
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    std::ifstream in(out / "build.json");
    const json report = json::parse(in);
    for (const auto& stage : report.at("stages"))
        if (stage.at("name") == "report") return stage.at("report");
    ADD_FAILURE() << "no report stage in build.json";
    return {};
}

std::string run_ok(const std::vector<std::string>& command) {
    const auto result = run_program(command);
    EXPECT_EQ(result.exit_code, 0) << describe(result);
    return result.out;
}

/// What external tools make of the PDF: qpdf finds no error, pdfinfo the page count, and
/// pdftotext every panel's name and line.
void expect_readable(const fs::path& pdf, const Boards& boards) {
    const std::string check = run_ok({"qpdf", "--check", pdf.string()});
    EXPECT_NE(check.find("No syntax or stream encoding errors found"), std::string::npos) << check;
    const std::string info = run_ok({"pdfinfo", pdf.string()});
    EXPECT_NE(info.find("Pages:           " + std::to_string(boards.panels.size()) + "\n"),
              std::string::npos)
        << info;
    const std::string text = run_ok({"pdftotext", pdf.string(), "-"});
    for (const auto& panel : boards.panels) {
        EXPECT_NE(text.find("sq010/" + panel.shot + "/" + panel.name), std::string::npos);
        EXPECT_NE(text.find(panel.dialogue), std::string::npos) << text;
    }
}

/// Page `page` (1-based) rendered by poppler, the header left out (its date may differ).
/// Each render gets a file name of its own: OpenImageIO's image cache would otherwise give
/// a second render of the same page, written within the same second, the first's pixels.
OIIO::ImageBuf board_area(const fs::path& pdf, int page, const fs::path& scratch) {
    static int renders = 0;
    const fs::path prefix =
        scratch / ("page" + std::to_string(page) + "_" + std::to_string(++renders));
    run_ok({"pdftoppm", "-f", std::to_string(page), "-l", std::to_string(page), "-r", "40",
            "-singlefile", "-png", pdf.string(), prefix.string()});
    OIIO::ImageBuf image(prefix.string() + ".png");
    EXPECT_TRUE(image.read()) << image.geterror();
    const int width = image.spec().width, height = image.spec().height;
    return OIIO::ImageBufAlgo::cut(image, OIIO::ROI(0, width, height / 10, height));
}

double difference(const OIIO::ImageBuf& a, const OIIO::ImageBuf& b) {
    const auto compared = OIIO::ImageBufAlgo::compare(a, b, 0.0f, 0.0f);
    return compared.meanerror;
}

TEST(BoardsPdfUpdate, ARedrawnBoardIsAppendedAsItsPageAndRendersLikeAFreshBuild) {
    testing::TempDir dir;
    Boards boards(dir.path() / "project");
    const fs::path out = dir.path() / "out", pdf = out / "sq010_boards.pdf";
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels);
    const std::string before = testing::read_file(pdf);
    const auto old_page = board_area(pdf, 5, dir.path());
    const auto old_other = board_area(pdf, 9, dir.path());
    boards.redraw(4, 77);  // page 5
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), 1);
    const std::string after = testing::read_file(pdf);
    ASSERT_GT(after.size(), before.size());
    EXPECT_EQ(after.compare(0, before.size(), before), 0) << "an incremental update appends";
    expect_readable(pdf, boards);
    EXPECT_GT(difference(board_area(pdf, 5, dir.path()), old_page), 0.01) << "the new drawing";
    EXPECT_EQ(difference(board_area(pdf, 9, dir.path()), old_other), 0.0) << "unchanged";
    // A fresh build of the same project (its own cache) draws page 5 the same.
    const fs::path fresh = dir.path() / "fresh";
    build(boards, fresh);
    EXPECT_LT(difference(board_area(pdf, 5, dir.path()),
                         board_area(fresh / "sq010_boards.pdf", 5, dir.path())),
              0.002);
    // Nothing changed: the file is kept, byte for byte.
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), 0);
    EXPECT_EQ(testing::read_file(pdf), after);
}

TEST(BoardsPdfUpdate, RepeatedRedrawsStayReadableAndCompactBeforeReplacedPagesPileUp) {
    testing::TempDir dir;
    Boards boards(dir.path() / "project");
    const fs::path out = dir.path() / "out", pdf = out / "sq010_boards.pdf";
    build(boards, out);
    const auto whole = fs::file_size(pdf);
    int updates = 0, rewrites = 0;
    for (int round = 0; round < 6; ++round) {
        boards.redraw(round * 2 % kPanels, 200 + round);
        const int drawn = build(boards, out).at("pdf_pages_drawn");
        EXPECT_TRUE(drawn == 1 || drawn == kPanels) << drawn;
        (drawn == 1 ? updates : rewrites) += 1;
        expect_readable(pdf, boards);
        // Replaced pages stay under a quarter of the file (plus the page just drawn).
        EXPECT_LT(fs::file_size(pdf), whole * 3 / 2) << "round " << round;
    }
    EXPECT_GT(updates, 0);
    EXPECT_GT(rewrites, 0) << "dead bytes over a quarter of the file: written whole";
}

TEST(BoardsPdfUpdate, RetimedAddedAndRemovedPanelsShowTheirNewText) {
    testing::TempDir dir;
    Boards boards(dir.path() / "project");
    const fs::path out = dir.path() / "out", pdf = out / "sq010_boards.pdf";
    build(boards, out);
    boards.panels[10].frames = 31;  // re-timed: its hold and the timecodes after it change
    boards.panels[10].dialogue = "A new line for the re-timed panel";
    boards.write();
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), 2) << "pages 11 and 12";
    expect_readable(pdf, boards);
    EXPECT_NE(run_ok({"pdftotext", pdf.string(), "-"}).find("31 fr / 1.29 s"), std::string::npos);
    boards.panels.push_back(boards.panels.back());  // added: the page count changes
    boards.panels.back().name = "p200";
    boards.panels.back().dialogue = "An added panel";
    boards.write();
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels + 1);
    expect_readable(pdf, boards);
    boards.panels.erase(boards.panels.begin());  // removed
    boards.write();
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels);
    expect_readable(pdf, boards);
}

TEST(BoardsPdfUpdate, AMissingOrChangedPreviousFileIsWrittenWhole) {
    testing::TempDir dir;
    Boards boards(dir.path() / "project");
    const fs::path out = dir.path() / "out", pdf = out / "sq010_boards.pdf";
    build(boards, out);
    fs::remove(pdf);
    boards.redraw(3, 91);
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels) << "missing";
    expect_readable(pdf, boards);
    // Not ours any more: one byte changed, same size and modification time.
    std::string bytes = testing::read_file(pdf);
    const auto mtime = fs::last_write_time(pdf);
    bytes[bytes.size() / 2] ^= 0x20;
    testing::write_file(pdf, bytes);
    fs::last_write_time(pdf, mtime);
    boards.redraw(6, 92);
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels) << "changed behind the log";
    expect_readable(pdf, boards);
    // Another program's PDF in its place.
    fs::copy_file(pdf, dir.path() / "copy.pdf");
    testing::write_file(pdf, "%PDF-1.4\n%%EOF\n");
    boards.redraw(8, 93);
    EXPECT_EQ(build(boards, out).at("pdf_pages_drawn"), kPanels) << "not ours";
    expect_readable(pdf, boards);
}

}  // namespace
}  // namespace storyreel
