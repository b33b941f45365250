#include "cli/timing_command.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/subcommand.h"
#include "editorial/cut_retime.h"
#include "pipeline/build.h"
#include "pipeline/exit_codes.h"
#include "pipeline/timing_report.h"
#include "sources/project_sources.h"
#include "stages/audio_analysis.h"
#include "stages/builtin_stages.h"

namespace storyreel {

int run_timing(const TimingOptions& options) {
    const StageRegistry registry = builtin_stage_registry();
    BuildRequest request;
    request.project = options.project;
    request.pipeline = options.pipeline.empty() ? default_pipeline_path() : options.pipeline;
    request.selection.only = options.only;
    request.audio_analyzer = std::make_shared<LibavAudioAnalyzer>();
    request.sources = &sources::project_sources();
    request.apply_cuts = apply_project_cuts;
    try {
        ValidatedBuild build = validate_build(request, registry);
        Diagnostics ignored;
        build.plan = plan_cut(build.project, build.pipeline.grouping, request.selection, ignored);
        std::cout << timing_table(build.plan);
        for (const auto& sequence : build.project.sequences) {
            if (sequence.timing.mode == TimingMode::Words && !sequence.detected_lines.empty() &&
                sequence.detected_lines.front().status) {
                std::cout << "\n"
                          << sequence.name << ": dialogue lines found by their words\n"
                          << words_status_text(sequence) << "\nlabels:\n"
                          << onset_labels_text(sequence);
                continue;
            }
            if (sequence.timing.mode != TimingMode::Dialogue &&
                sequence.timing.mode != TimingMode::Words)
                continue;
            std::cout << "\n"
                      << sequence.name << ": " << sequence.detected_lines.size()
                      << " dialogue line(s) detected\n"
                      << onset_labels_text(sequence);
        }
        if (!options.labels_dir.empty())
            for (const auto& file : write_onset_labels(build.project, options.labels_dir))
                std::cout << "labels: " << file.string() << "\n";
        return kExitOk;
    } catch (const ValidationError& error) {
        std::cerr << "storyreel: " << error.diagnostics().size() << " problem(s) found:\n";
        for (const auto& item : error.diagnostics().items())
            std::cerr << "  " << item.to_string() << '\n';
        return kExitInvalidConfig;
    } catch (const std::runtime_error& error) {  // anything else: an internal error, exit 70
        std::cerr << "storyreel: timing failed: " << error.what() << '\n';
        return kExitBuildFailed;
    }
}

void add_timing_command(CLI::App& app, Subcommands& commands) {
    auto timing = std::make_shared<TimingOptions>();
    auto* timing_command = app.add_subcommand(
        "timing", "print every panel's timing and where it came from, without rendering");
    timing_command->add_option("--project", timing->project, kProjectOptionHelp)->required();
    timing_command->add_option("--pipeline", timing->pipeline,
                               "pipeline YAML (default configs/animatic.yaml)");
    timing_command->add_option("--only", timing->only, "only SEQ or SEQ/SHOT (repeatable)");
    timing_command->add_option(
        "--labels", timing->labels_dir,
        "write detected dialogue onsets as Audacity label files into this folder");

    commands.push_back({timing_command, [timing] { return run_timing(*timing); }});
}

}  // namespace storyreel
