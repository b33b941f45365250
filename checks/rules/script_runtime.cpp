// script_runtime: each boarded scene's animatic length against its length in the script.
#include <cmath>

#include "checks/rules/rules.h"
#include "checks/script_text.h"

namespace storyreel::checks {

namespace {

void check_scenes(const CheckContext& context, const RuleSettings& settings,
                  std::vector<Finding>& findings) {
    const LinkedScript& script = *context.script;
    PageLayout layout;
    layout.lines_per_page = std::max(1, static_cast<int>(settings["lines_per_page"]));
    std::vector<bool> boarded(script.screenplay.scenes.size(), false);
    for (std::size_t s = 0; s < context.project.sequences.size(); ++s) {
        const Sequence& sequence = context.project.sequences[s];
        const auto slots = context.slots_of(sequence);
        if (slots.empty()) continue;  // not selected
        const int index = s < script.scene_of_sequence.size() ? script.scene_of_sequence[s] : -1;
        if (index < 0) {
            Finding finding = context.at_sequence(sequence, "script_runtime", Severity::Warning);
            finding.message = "boards for a scene that is not in the script (" +
                              script.screenplay.file.filename().string() + ")";
            finding.hint =
                "add the scene to the script, or link the sequence to its scene (`scene:` in the "
                "project, a scene number in its name)";
            findings.push_back(std::move(finding));
            continue;
        }
        boarded[static_cast<std::size_t>(index)] = true;
        const ScriptScene& scene = script.screenplay.scenes[static_cast<std::size_t>(index)];
        const int eighths = scene_eighths(scene, layout);
        const double expected = eighths / 8.0 * settings["seconds_per_page"];
        std::int64_t frames = 0;
        for (const auto* slot : slots) frames += slot->frames();
        const double actual = context.seconds(frames);
        const double ratio = expected > 0 ? actual / expected - 1.0 : 0.0;
        if (std::abs(ratio) <= settings["tolerance"]) continue;
        Finding finding = context.at_sequence(sequence, "script_runtime", Severity::Warning);
        finding.measured = actual;
        finding.limit = expected;
        finding.unit = "s";
        finding.message = "scene " + std::to_string(scene.number) + " (" + scene.heading +
                          ") runs " + format_number(actual) + " s; its " + eighths_text(eighths) +
                          " page(s) read as about " + format_number(expected) + " s (" +
                          (ratio > 0 ? "+" : "") + format_number(ratio * 100) + " %)";
        finding.hint =
            ratio > 0 ? "the scene plays long against the script: look for holds to trim"
                      : "the scene plays short against the script: action may be missing boards";
        findings.push_back(std::move(finding));
    }
    // Scenes of the script no sequence boards (only when the whole cut is checked).
    if (context.plan.slots.size() != [&] {
            std::size_t all = 0;
            for (const auto& sequence : context.project.sequences)
                for (const auto& shot : sequence.shots) all += shot.panels.size();
            return all;
        }())
        return;
    for (std::size_t i = 0; i < boarded.size(); ++i) {
        if (boarded[i]) continue;
        const ScriptScene& scene = script.screenplay.scenes[i];
        Finding finding;
        finding.rule = "script_runtime";
        finding.severity = Severity::Info;
        finding.measured = scene_eighths(scene, layout) / 8.0 * settings["seconds_per_page"];
        finding.unit = "s";
        finding.message = "scene " + std::to_string(scene.number) + " of the script (" +
                          scene.heading + ", line " + std::to_string(scene.line) +
                          ") has no boards";
        finding.hint = "board it, or check that its sequence is linked to it";
        findings.push_back(std::move(finding));
    }
}

}  // namespace

CheckRule script_runtime_rule() {
    return {"script_runtime",
            "a scene's animatic length against its length in the script (one page = one minute)",
            {{"tolerance", 0.25, "fraction"},
             {"seconds_per_page", 60.0, "s"},
             {"lines_per_page", 55.0, "lines"}},
            [](const CheckContext& context, const RuleSettings& settings,
               std::vector<Finding>& findings) {
                if (context.script) check_scenes(context, settings, findings);
            }};
}

}  // namespace storyreel::checks
