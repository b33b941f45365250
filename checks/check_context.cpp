#include "checks/check_context.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace storyreel::checks {

double CheckContext::seconds(std::int64_t frames) const {
    return static_cast<double>(frames) * project.show.frame_rate.den / project.show.frame_rate.num;
}

std::string CheckContext::record_timecode(const PanelSlot& slot,
                                          std::int64_t frames_into_panel) const {
    return plan.units[slot.unit]
        .start_timecode.plus(slot.unit_start_frame + frames_into_panel)
        .to_string();
}

Finding CheckContext::at_panel(const PanelSlot& slot, const std::string& rule,
                               Severity severity) const {
    Finding finding = at_shot(slot, rule, severity);
    finding.panel = slot.panel->name;
    return finding;
}

namespace {

/// A finding of `rule` in `sequence`, before it is placed any closer.
Finding finding_in(const std::string& sequence, const std::string& rule, Severity severity) {
    Finding finding;
    finding.rule = rule;
    finding.severity = severity;
    finding.sequence = sequence;
    return finding;
}

}  // namespace

Finding CheckContext::at_shot(const PanelSlot& first, const std::string& rule,
                              Severity severity) const {
    Finding finding = finding_in(first.sequence->name, rule, severity);
    finding.shot = first.shot->name;
    finding.record_in = record_timecode(first);
    finding.cut_frame = first.cut_start_frame;
    return finding;
}

Finding CheckContext::at_sequence(const Sequence& sequence, const std::string& rule,
                                  Severity severity) const {
    Finding finding = finding_in(sequence.name, rule, severity);
    const auto slots = slots_of(sequence);
    if (!slots.empty()) {
        finding.record_in = record_timecode(*slots.front());
        finding.cut_frame = slots.front()->cut_start_frame;
    }
    return finding;
}

std::vector<const PanelSlot*> CheckContext::slots_of(const Sequence& sequence) const {
    std::vector<const PanelSlot*> slots;
    for (const auto& slot : plan.slots)
        if (slot.sequence == &sequence) slots.push_back(&slot);
    return slots;
}

bool CheckContext::dialogue_burned_in() const {
    if (!pipeline) return false;
    for (const auto& stage : pipeline->stages) {
        if (stage.type != "burnins" || !stage.params.IsMap()) continue;
        for (const auto& entry : stage.params)
            if (entry.second.IsScalar() &&
                entry.second.Scalar().find("{dialogue}") != std::string::npos)
                return true;
    }
    return false;
}

std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    std::string result = text;
    while (result.find('.') != std::string::npos &&
           (result.back() == '0' || result.back() == '.')) {
        const bool point = result.back() == '.';
        result.pop_back();
        if (point) break;
    }
    return result;
}

namespace {

std::string upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

/// The number a sequence name stands for: "12", "sc12", "scene_12", "sq012" -> 12.
std::optional<int> number_in_name(const std::string& name) {
    std::string digits;
    for (char c : name)
        if (std::isdigit(static_cast<unsigned char>(c)))
            digits += c;
        else if (!digits.empty())
            return std::nullopt;  // "sq010_sh020": two numbers, no scene
    if (digits.empty() || digits.size() > 6) return std::nullopt;
    return std::stoi(digits);
}

int find_scene(const Screenplay& screenplay, const std::string& reference) {
    const std::string wanted = upper(reference);
    for (std::size_t i = 0; i < screenplay.scenes.size(); ++i) {
        const ScriptScene& scene = screenplay.scenes[i];
        if ((!scene.id.empty() && upper(scene.id) == wanted) ||
            std::to_string(scene.number) == wanted || upper(scene.heading) == wanted)
            return static_cast<int>(i);
    }
    return -1;
}

}  // namespace

LinkedScript link_script(const Project& project, Screenplay screenplay) {
    LinkedScript linked;
    linked.screenplay = std::move(screenplay);
    std::vector<bool> taken(linked.screenplay.scenes.size(), false);
    for (const auto& sequence : project.sequences) {
        int index = -1;
        if (!sequence.script_scene.empty())
            index = find_scene(linked.screenplay, sequence.script_scene);
        else if (auto number = number_in_name(sequence.name))
            index = find_scene(linked.screenplay, std::to_string(*number));
        if (index >= 0 && taken[static_cast<std::size_t>(index)])
            index = -1;  // one sequence per scene
        if (index >= 0) taken[static_cast<std::size_t>(index)] = true;
        linked.scene_of_sequence.push_back(index);
    }
    return linked;
}

}  // namespace storyreel::checks
