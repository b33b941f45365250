#include "checks/check_settings.h"

#include <algorithm>
#include <cctype>

#include "checks/check_rule.h"
#include "pipeline/yaml_fields.h"

namespace storyreel::checks {

bool CheckSettings::enabled(const std::string& rule) const {
    auto it = rules.find(rule);
    return it != rules.end() && it->second.enabled;
}

std::map<std::string, std::vector<std::string>> default_flag_keywords() {
    return {
        {"vfx",
         {"vfx", "cg", "cgi", "green screen", "greenscreen", "explosion", "explodes", "hologram",
          "magic", "morphs", "transforms", "spaceship", "monster", "dragon", "laser", "portal"}},
        {"sfx",
         {"sfx", "rain", "snow", "smoke", "fog", "wind machine", "squib", "breakaway", "sparks"}},
        {"stunts",
         {"stunt", "falls", "fight", "punches", "jumps", "crash", "crashes", "tumbles", "thrown",
          "leaps", "chase", "wire"}},
        {"crowd",
         {"crowd", "extras", "audience", "mob", "army", "passers-by", "onlookers", "hundreds"}},
        {"animals",
         {"dog", "cat", "horse", "bird", "birds", "duck", "ducks", "cow", "animal", "snake", "wolf",
          "fish"}},
        {"vehicles",
         {"car", "truck", "bus", "train", "motorcycle", "bike", "boat", "plane", "helicopter",
          "van", "taxi"}},
        {"water",
         {"water", "pool", "river", "sea", "ocean", "lake", "underwater", "swims", "wave", "waves",
          "rain"}},
        {"fire", {"fire", "flames", "burning", "burns", "candle", "torch", "blaze", "smoke"}},
        {"children", {"child", "children", "kid", "kids", "baby", "boy", "girl", "toddler"}},
    };
}

namespace {

class SettingsReader {
  public:
    SettingsReader(const RuleRegistry& rules, Diagnostics& diagnostics)
        : rules_(rules), diagnostics_(diagnostics) {
        for (const auto& rule : rules.rules()) {
            RuleSettings settings;
            for (const auto& param : rule.params) settings.values[param.key] = param.default_value;
            settings_.rules[rule.id] = settings;
        }
        settings_.flag_keywords = default_flag_keywords();
    }

    void read(const ChecksBlock& block) {
        if (!block.node.IsDefined() || block.node.IsNull()) return;
        YamlFields fields(block.node, block.file, "checks", diagnostics_);
        if (!fields.is_map()) return;
        for (const auto& entry : block.node) {
            const std::string key = entry.first.as<std::string>("");
            if (key == "breakdown")
                read_breakdown(fields.node("breakdown"), block.file);
            else if (key == "acknowledge")
                read_acknowledgements(fields.node("acknowledge"), block.file);
            else if (const CheckRule* rule = rules_.find(key))
                read_rule(*rule, entry.second, block.file);
            else
                diagnostics_.add(location_of(entry.first, block.file), "checks",
                                 "unknown check rule '" + key + "'",
                                 "known rules: " + known_rules() + "; also breakdown, acknowledge");
        }
    }

    CheckSettings take() { return std::move(settings_); }

  private:
    std::string known_rules() const {
        std::string text;
        for (const auto& id : rules_.ids()) text += (text.empty() ? "" : ", ") + id;
        return text;
    }

    void read_rule(const CheckRule& rule, const YAML::Node& node, const std::string& file) {
        RuleSettings& settings = settings_.rules[rule.id];
        const std::string subject = "checks." + rule.id;
        if (node.IsScalar()) {  // `dead_air: off` / `false` / `on`
            const std::string text = node.Scalar();
            if (text == "false" || text == "off" || text == "no")
                settings.enabled = false;
            else if (text == "true" || text == "on" || text == "yes")
                settings.enabled = true;
            else
                diagnostics_.add(location_of(node, file), subject,
                                 "expected a mapping of settings, or off",
                                 "e.g. " + rule.id + ": off");
            return;
        }
        YamlFields fields(node, file, subject, diagnostics_);
        if (!fields.is_map()) return;
        for (const auto& entry : node) {
            const std::string key = entry.first.as<std::string>("");
            if (key == "enabled") {
                if (auto value = fields.boolean("enabled")) settings.enabled = *value;
                continue;
            }
            auto param = std::find_if(rule.params.begin(), rule.params.end(),
                                      [&](const RuleParam& p) { return p.key == key; });
            if (param == rule.params.end()) {
                std::string known = "enabled";
                for (const auto& p : rule.params) known += ", " + p.key;
                fields.problem(key.c_str(), "unknown setting '" + key + "' of rule " + rule.id,
                               "known settings: " + known);
                continue;
            }
            if (param->boolean) {
                if (auto value = fields.boolean(key.c_str())) settings.values[key] = *value ? 1 : 0;
                continue;
            }
            auto value = fields.number(key.c_str());
            if (!value) continue;
            if (*value < 0 && !param->may_be_negative)
                fields.problem(key.c_str(), "must not be negative, got " + entry.second.Scalar(),
                               param->unit.empty()
                                   ? "give a value of 0 or more"
                                   : "give a value in " + param->unit + " of 0 or more");
            else
                settings.values[key] = *value;
        }
    }

    void read_breakdown(const YAML::Node& node, const std::string& file) {
        YamlFields fields(node, file, "checks.breakdown", diagnostics_);
        if (!fields.is_map()) return;
        fields.allow_only({"flags"});
        if (!fields.has("flags")) return;
        const YAML::Node flags = fields.node("flags");
        if (!flags.IsMap()) {
            fields.problem("flags", "expected a mapping of flag: [keywords]",
                           "e.g. flags: {vfx: [explosion, hologram], drones: [drone]}");
            return;
        }
        for (const auto& entry : flags) {
            const std::string flag = entry.first.as<std::string>("");
            if (!entry.second.IsSequence()) {
                diagnostics_.add(location_of(entry.second, file), "checks.breakdown.flags." + flag,
                                 "expected a list of keywords",
                                 "an empty list [] removes the flag");
                continue;
            }
            std::vector<std::string> words;
            for (const auto& word : entry.second) {
                std::string text = word.as<std::string>("");
                for (auto& c : text)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (!text.empty()) words.push_back(text);
            }
            if (words.empty())
                settings_.flag_keywords.erase(flag);
            else
                settings_.flag_keywords[flag] = words;
        }
    }

    void read_acknowledgements(const YAML::Node& list, const std::string& file) {
        if (!list.IsSequence()) {
            diagnostics_.add(location_of(list, file), "checks.acknowledge",
                             "expected a list of {panel, rule, reason}");
            return;
        }
        for (const auto& entry : list) {
            YamlFields fields(entry, file, "checks.acknowledge", diagnostics_);
            if (!fields.is_map()) continue;
            fields.allow_only({"panel", "rule", "reason"});
            PanelAcknowledgement item;
            item.ack.where = fields.where();
            if (auto panel = fields.string("panel", true)) item.panel = *panel;
            if (auto rule = fields.string("rule", true)) item.ack.rule = *rule;
            if (auto reason = fields.string("reason")) item.ack.reason = *reason;
            check_ack_rule(item.ack, "checks.acknowledge");
            settings_.acknowledgements.push_back(item);
        }
    }

  public:
    void check_ack_rule(const Acknowledgement& ack, const std::string& subject) {
        if (!ack.rule.empty() && !rules_.find(ack.rule))
            diagnostics_.add(ack.where, subject,
                             "acknowledges unknown check rule '" + ack.rule + "'",
                             "known rules: " + known_rules());
    }

  private:
    const RuleRegistry& rules_;
    Diagnostics& diagnostics_;
    CheckSettings settings_;
};

}  // namespace

CheckSettings read_check_settings(const Project& project, const PipelineSpec* pipeline,
                                  const RuleRegistry& rules, Diagnostics& diagnostics) {
    SettingsReader reader(rules, diagnostics);
    if (pipeline) reader.read(pipeline->checks);
    reader.read(project.checks);
    for (const auto& sequence : project.sequences)
        for (const auto& shot : sequence.shots)
            for (const auto& panel : shot.panels)
                for (const auto& ack : panel.acks)
                    reader.check_ack_rule(ack, "panel " + panel_path(sequence, shot, panel));
    CheckSettings settings = reader.take();
    // Acknowledgements of panels that do not exist are mistakes too.
    for (const auto& item : settings.acknowledgements) {
        bool found = false;
        for (const auto& sequence : project.sequences)
            for (const auto& shot : sequence.shots)
                for (const auto& panel : shot.panels)
                    found = found || panel_path(sequence, shot, panel) == item.panel;
        if (!found && !item.panel.empty())
            diagnostics.add(item.ack.where, "checks.acknowledge",
                            "no panel '" + item.panel + "' in the project",
                            "name it SEQUENCE/SHOT/PANEL as `storyreel check` prints it");
    }
    return settings;
}

}  // namespace storyreel::checks
