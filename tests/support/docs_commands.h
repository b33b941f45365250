#pragma once
// The commands a docs page shows in its ```sh blocks, read for the docs test
// (tests/e2e/docs_commands_test.cpp, whose header comment states the marking convention).

#include <string>
#include <vector>

namespace storyreel::testing {

/// One command line of a ```sh block (continuation lines ending in `\` joined).
struct DocCommand {
    int line = 0;                    ///< 1-based line of the page where the command starts
    std::string text;                ///< as written, continuations joined, comment removed
    std::vector<std::string> words;  ///< split like sh (quotes, backslashes); nothing expanded
    int expected_exit = 0;           ///< from a `# exits N` comment on the line
    std::string not_run;             ///< the reason of a `# not run by the docs test: ...`
};

/// What a page holds: its commands in page order, and every way it breaks the convention
/// ("line 12: ..."), all of them, so one run names every problem.
struct DocPage {
    std::vector<DocCommand> commands;
    std::vector<std::string> problems;
};

/// Reads the fenced blocks of a Markdown page. ```sh blocks give commands; a storyreel
/// command in a block fenced other than ```sh or ```text, a shell block fenced ```bash /
/// ```shell / ```console, a command needing a shell (`;`, `|`, `>`, `$`, ...) that is not
/// marked not run, and a marker without its reason are problems.
DocPage read_doc_commands(const std::string& markdown);

/// True when the command is `storyreel` itself (its first word).
bool is_storyreel_command(const DocCommand& command);

}  // namespace storyreel::testing
