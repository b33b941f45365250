#pragma once
// A small project for the review page's tests: four boards in two shots with temp sound,
// text a browser must show as text (a show called `A & B "Pilot" <script>`, dialogue holding
// `<script>`, Cyrillic), a line too long for its hold (a finding), a dissolve and a camera
// move; and a pipeline with an H.264 review movie and the report stage.

#include <filesystem>
#include <string>
#include <vector>

namespace storyreel::testing {

struct ReviewProject {
    std::filesystem::path project;   ///< project.yaml
    std::filesystem::path pipeline;  ///< the pipeline file
    std::filesystem::path boards;    ///< its boards/ folder
    int panels = 0;
};

/// Writes the project and pipeline under `dir`; `report_params` are the report stage's
/// params as YAML flow (e.g. "{pdf: {panels_per_page: 3}}"), empty for none.
ReviewProject write_review_project(const std::filesystem::path& dir,
                                   const std::string& report_params = {});

/// `storyreel build` of the project into `out` (cache in `out`); fails the test on a
/// non-zero exit. `extra` arguments are appended (e.g. --publish ROOT).
void build_review_project(const ReviewProject& project, const std::filesystem::path& out,
                          const std::vector<std::string>& extra = {});

}  // namespace storyreel::testing
