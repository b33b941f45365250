#pragma once
// Small generated projects for the production checks' tests: boards drawn by code, a
// project YAML written from a list of panels, and an in-process `storyreel check`.

#include <filesystem>
#include <string>
#include <vector>

#include "checks/finding.h"

namespace storyreel::testing {

/// Writes an 8-bit RGB PNG: white paper with `strokes` dark random rectangles from
/// `seed` (0 strokes: a blank board).
void write_drawn_board(const std::filesystem::path& file, int width, int height, unsigned seed,
                       int strokes = 12);

/// Copies a board with one pixel darkened: other bytes (content hash), the same picture.
void write_touched_copy(const std::filesystem::path& from, const std::filesystem::path& to);

/// One panel of a generated project.
struct TestPanel {
    std::string sequence = "sq010", shot = "sh010", name;
    std::string board;  ///< file name under boards/; drawn from `seed` unless it exists
    int frames = 48;
    std::string dialogue;
    std::string extra_yaml;  ///< more keys of the panel, e.g. "ack: [dead_air]"
    unsigned seed = 0;       ///< 0: the panel's index + 1
    int width = 128, height = 72;
    int strokes = 12;
};

/// Writes DIR/project.yaml (show 128x72 at 24 fps unless `show_yaml` says otherwise) and
/// every panel's board; `extra_yaml` is appended at the top level (a checks: block...),
/// `sequence_yaml` to every sequence (audio:...). Returns the project file.
std::filesystem::path write_check_project(
    const std::filesystem::path& dir, const std::vector<TestPanel>& panels,
    const std::string& extra_yaml = {}, const std::string& sequence_yaml = {},
    const std::string& show_yaml = "{name: checks, frame_rate: \"24\", resolution: 128x72}");

/// Runs the checks as `storyreel check` does, in process (cache under `dir`); throws
/// ValidationError for a bad configuration.
checks::CheckReport check_project(const std::filesystem::path& project,
                                  const std::filesystem::path& cache_dir,
                                  const std::filesystem::path& pipeline = {},
                                  const std::filesystem::path& script = {});

/// The findings of one rule.
std::vector<checks::Finding> findings_of(const checks::CheckReport& report,
                                         const std::string& rule);

}  // namespace storyreel::testing
