// Every command the docs show is run, so the docs cannot rot (issue 21).
//
// The convention the pages follow (README.md and every page in docs/, configs/, bench/):
// - Commands a reader types are fenced ```sh. Every `storyreel ...` line of such a block is
//   run, in page order, by this build's binary, in a folder laid out like the source tree
//   after `scripts/setup.sh demo`: demo-out/project (the demo project, written once for the
//   suite by `storyreel demo`) and a copy of the source tree's configs/. `~` is a home folder
//   holding boards/pilot.storyboarder, a small Storyboarder scene standing in for the
//   artist's own. Each page gets its own copy of that folder, so a page's commands chain
//   (build, publish, pull) on each other's outputs.
// - A command that exits non-zero on purpose says so on its line: `# exits 3`.
// - A command that cannot run here says why, where the reader sees it:
//   `# not run by the docs test: REASON` at the end of its line, or on a comment line of its
//   own, which covers the rest of its block. Any other line of a ```sh block that is not a
//   storyreel command fails the test: nothing is skipped silently.
// - Usage synopses, output and file contents are fenced ```text (or their own language);
//   a storyreel command line in any block but ```sh and ```text fails the test.

#include "tests/support/docs_commands.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/support/check_projects.h"
#include "tests/support/cli_runner.h"
#include "tests/support/file_bytes.h"
#include "tests/support/temp_dir.h"

namespace storyreel {
namespace {

using testing::read_file;

namespace fs = std::filesystem;
using testing::DocCommand;
using testing::read_doc_commands;

const fs::path kSourceDir = STORYREEL_SOURCE_DIR;

/// The pages: README.md and every Markdown page in docs/, configs/ and bench/.
std::vector<std::string> docs_pages() {
    std::vector<std::string> pages = {"README.md"};
    for (const char* folder : {"docs", "configs", "bench"})
        for (const auto& entry : fs::directory_iterator(kSourceDir / folder))
            if (entry.path().extension() == ".md")
                pages.push_back((fs::path(folder) / entry.path().filename()).string());
    std::sort(pages.begin() + 1, pages.end());
    return pages;
}

/// A small Storyboarder scene: three boards, the second starting a new shot, with a line.
void write_storyboarder_scene(const fs::path& scene) {
    fs::create_directories(scene.parent_path());
    std::ofstream(scene) << R"({"version": "2.0.1", "fps": 24, "aspectRatio": 1.7777777777777777,
  "defaultBoardTiming": 1000, "boards": [
  {"uid": "AAAA1", "url": "board-1-AAAA1.png", "number": 1, "shot": "1A", "duration": 1000},
  {"uid": "BBBB2", "url": "board-2-BBBB2.png", "number": 2, "shot": "2A", "newShot": true,
   "duration": 1500, "dialogue": "We have to go back."},
  {"uid": "CCCC3", "url": "board-3-CCCC3.png", "number": 3, "shot": "2B", "duration": 1000}]}
)";
    unsigned seed = 1;
    for (const char* board : {"board-1-AAAA1.png", "board-2-BBBB2.png", "board-3-CCCC3.png"})
        testing::write_drawn_board(scene.parent_path() / board, 256, 144, seed++);
}

/// The folder every page's copy starts from, made once: demo-out/project and ~.
const fs::path& page_template() {
    static testing::TempDir folder;
    static const bool made = [] {
        const auto demo =
            testing::run_storyreel({"demo", (folder.path() / "demo-out" / "project").string()});
        if (demo.exit_code != 0)
            throw std::runtime_error("storyreel demo failed: " + testing::describe(demo));
        write_storyboarder_scene(folder.path() / "home" / "boards" / "pilot.storyboarder");
        return true;
    }();
    (void)made;
    return folder.path();
}

/// The command line that runs `command` with this build's binary, HOME and XDG_CACHE_HOME
/// set to the page's home (check keeps its signature cache there: the docs' commands must
/// not write into the real home), and `~` and `~/...` pointing into it.
std::vector<std::string> command_line_of(const DocCommand& command, const fs::path& home) {
    std::vector<std::string> line = {"env", "HOME=" + home.string(),
                                     "XDG_CACHE_HOME=" + (home / ".cache").string(),
                                     STORYREEL_BINARY};
    for (auto word = command.words.begin() + 1; word != command.words.end(); ++word) {
        if (*word == "~")
            line.push_back(home.string());
        else if (word->rfind("~/", 0) == 0)
            line.push_back((home / word->substr(2)).string());
        else
            line.push_back(*word);
    }
    return line;
}

class DocsCommands : public ::testing::TestWithParam<std::string> {};

TEST_P(DocsCommands, RunAsWrittenOnTheDemoProject) {
    const std::string page = GetParam();
    const auto commands = read_doc_commands(read_file(kSourceDir / page));
    for (const auto& problem : commands.problems) ADD_FAILURE() << page << ": " << problem;

    testing::TempDir work;
    const bool runs_any = std::any_of(
        commands.commands.begin(), commands.commands.end(), [](const DocCommand& command) {
            return command.not_run.empty() && testing::is_storyreel_command(command);
        });
    if (runs_any) {  // the demo is made only when a page needs it (ctest runs pages apart)
        fs::copy(page_template(), work.path(), fs::copy_options::recursive);
        // A copy: nightly.yaml's relative paths (../demo-out, ../nightly) land in `work`.
        fs::copy(kSourceDir / "configs", work.path() / "configs", fs::copy_options::recursive);
    }
    const fs::path home = work.path() / "home";

    int run = 0, not_run = 0;
    for (const auto& command : commands.commands) {
        const std::string where =
            page + ":" + std::to_string(command.line) + ": `" + command.text + "`";
        if (!command.not_run.empty()) {
            ++not_run;
            std::cout << "  not run  " << where << " (" << command.not_run << ")\n";
            continue;
        }
        if (!testing::is_storyreel_command(command)) {
            ADD_FAILURE() << where << " is not a storyreel command the docs test runs, and "
                          << "not marked `# not run by the docs test: REASON`";
            continue;
        }
        ++run;
        const auto started = std::chrono::steady_clock::now();
        const auto result = testing::run_program(command_line_of(command, home), work.path());
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        std::cout << "  ran      " << where << " (exit " << result.exit_code << ", " << took.count()
                  << " s)\n";
        if (result.exit_code != command.expected_exit)
            ADD_FAILURE() << where << " exited " << result.exit_code << ", the page says "
                          << command.expected_exit
                          << (command.expected_exit ? ""
                                                    : " (an intended exit N is marked `# exits N`)")
                          << "\n"
                          << testing::describe(result);
    }
    std::cout << page << ": " << run << " command(s) run, " << not_run << " marked not run\n";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string name = info.param;
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Pages, DocsCommands, ::testing::ValuesIn(docs_pages()), test_name);

// The reader of the convention itself.

TEST(DocsCommandReader, ReadsExitCodesMarkersAndContinuations) {
    const auto page = read_doc_commands(
        "text\n"
        "```sh\n"
        "storyreel check --project demo-out/project   # exits 3: an error finding\n"
        "storyreel build --project 'a b' \\\n"
        "  --out movies/\n"
        "apt-get install x   # not run by the docs test: needs root\n"
        "# not run by the docs test: needs a Slurm cluster\n"
        "storyreel farm submit --engine slurm\n"
        "```\n");
    EXPECT_TRUE(page.problems.empty()) << page.problems.front();
    ASSERT_EQ(page.commands.size(), 4u);
    EXPECT_EQ(page.commands[0].line, 3);
    EXPECT_EQ(page.commands[0].expected_exit, 3);
    EXPECT_EQ(page.commands[1].words, (std::vector<std::string>{"storyreel", "build", "--project",
                                                                "a b", "--out", "movies/"}));
    EXPECT_EQ(page.commands[2].not_run, "needs root");
    EXPECT_EQ(page.commands[3].not_run, "needs a Slurm cluster");
}

TEST(DocsCommandReader, NamesEveryBreachOfTheConvention) {
    const auto page = read_doc_commands(
        "```bash\nls\n```\n"
        "```yaml\nstoryreel build --project p\n```\n"
        "```sh\nstoryreel --version ; storyreel --help\n"
        "storyreel build   # not run: no reason\n```\n"
        "```text\nstoryreel build [--jobs N]\n```\n");
    ASSERT_EQ(page.problems.size(), 4u);
    EXPECT_NE(page.problems[0].find("line 1: fence shell commands as ```sh"), std::string::npos);
    EXPECT_NE(page.problems[1].find("line 5: a storyreel command in a ```yaml"), std::string::npos);
    EXPECT_NE(page.problems[2].find("line 8:"), std::string::npos);
    EXPECT_NE(page.problems[3].find("line 9: write the marker"), std::string::npos);
}

}  // namespace
}  // namespace storyreel
