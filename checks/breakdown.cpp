#include "checks/breakdown.h"

#include <algorithm>
#include <cctype>

#include "checks/script_text.h"

namespace storyreel::checks {

namespace {

std::string lower(std::string_view text) {
    std::string result(text);
    for (auto& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return result;
}

bool word_at(const std::string& text, std::size_t at, std::size_t length) {
    auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); };
    return (at == 0 || !is_word(text[at - 1])) &&
           (at + length == text.size() || !is_word(text[at + length]));
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end())
        list.push_back(item);
}

void add_flags(std::vector<BreakdownFlag>& flags, std::string_view text, const std::string& panel,
               const CheckSettings& settings) {
    for (auto& [flag, words] : find_flags(text, settings.flag_keywords)) {
        auto existing = std::find_if(flags.begin(), flags.end(), [&](const BreakdownFlag& f) {
            return f.flag == flag && f.panel == panel;
        });
        if (existing == flags.end())
            flags.push_back({flag, panel, words});
        else
            for (const auto& word : words) add_unique(existing->words, word);
    }
}

void describe_script_scene(const ScriptScene& scene, const CheckSettings& settings,
                           SceneBreakdown& row) {
    row.scene_number = scene.number;
    row.heading = scene.heading;
    const Slugline slug = parse_slugline(scene.heading);
    row.int_ext = slug.int_ext;
    row.location = slug.location;
    row.time_of_day = slug.time_of_day;
    for (const auto& element : scene.elements) {
        if (element.type == ScriptElementType::Character)
            add_unique(row.characters, character_name(element.text));
        if (element.type == ScriptElementType::Action) {
            for (const auto& name : capitalised_names(element.text))
                add_unique(row.characters, name);
            add_flags(row.flags, element.text, {}, settings);
        }
    }
    if (row.int_ext.find("EXT") != std::string::npos && row.time_of_day == "NIGHT")
        row.flags.push_back({"night_exterior", {}, {scene.heading}});
}

}  // namespace

std::map<std::string, std::vector<std::string>> find_flags(
    std::string_view text, const std::map<std::string, std::vector<std::string>>& keywords) {
    const std::string haystack = lower(text);
    std::map<std::string, std::vector<std::string>> found;
    for (const auto& [flag, words] : keywords)
        for (const auto& word : words) {
            for (std::size_t at = haystack.find(word); at != std::string::npos;
                 at = haystack.find(word, at + 1))
                if (word_at(haystack, at, word.size())) {
                    add_unique(found[flag], word);
                    break;
                }
        }
    return found;
}

std::vector<SceneBreakdown> make_breakdown(const CheckContext& context) {
    std::vector<SceneBreakdown> rows;
    std::vector<bool> boarded(context.script ? context.script->screenplay.scenes.size() : 0, false);
    PageLayout layout;
    if (auto rule = context.settings.rules.find("script_runtime");
        rule != context.settings.rules.end())
        layout.lines_per_page = std::max(1, static_cast<int>(rule->second["lines_per_page"]));
    for (std::size_t s = 0; s < context.project.sequences.size(); ++s) {
        const Sequence& sequence = context.project.sequences[s];
        const auto slots = context.slots_of(sequence);
        if (slots.empty()) continue;
        SceneBreakdown row;
        row.sequence = sequence.name;
        row.record_in = context.record_timecode(*slots.front());
        const int index = context.script && s < context.script->scene_of_sequence.size()
                              ? context.script->scene_of_sequence[s]
                              : -1;
        if (index >= 0) {
            const ScriptScene& scene =
                context.script->screenplay.scenes[static_cast<std::size_t>(index)];
            boarded[static_cast<std::size_t>(index)] = true;
            describe_script_scene(scene, context.settings, row);
            row.script_eighths = scene_eighths(scene, layout);
        }
        for (const auto* slot : slots) {
            const Panel& panel = *slot->panel;
            ++row.boards;
            row.shots += slot->first_in_shot ? 1 : 0;
            row.camera_moves += panel.look.camera.moves() ? 1 : 0;
            row.transitions += panel.look.transition.type != TransitionType::None ? 1 : 0;
            row.frames += slot->frames();
            for (const auto& name : capitalised_names(panel.action))
                add_unique(row.characters, name);
            add_flags(row.flags, panel.action + "\n" + panel.notes + "\n" + panel.dialogue,
                      slot->name(), context.settings);
        }
        row.seconds = context.seconds(row.frames);
        if (row.shots > 0) row.average_shot_seconds = row.seconds / row.shots;
        rows.push_back(std::move(row));
    }
    for (std::size_t i = 0; i < boarded.size(); ++i) {
        if (boarded[i]) continue;
        SceneBreakdown row;
        describe_script_scene(context.script->screenplay.scenes[i], context.settings, row);
        row.script_eighths = scene_eighths(context.script->screenplay.scenes[i], layout);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace storyreel::checks
