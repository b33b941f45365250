#include "pipeline/yaml_fields.h"

#include <fstream>
#include <limits>
#include <sstream>

#include "pipeline/checked_number.h"

namespace storyreel {

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
    SourceLocation where{file, 0, 0};
    if (node.IsDefined() && node.Mark().line >= 0) {
        where.line = node.Mark().line + 1;
        where.column = node.Mark().column + 1;
    }
    return where;
}

std::optional<YAML::Node> parse_yaml_file(const std::string& path, Diagnostics& diagnostics) {
    std::ifstream in(path);
    if (!in) {
        diagnostics.add({path, 0, 0}, {}, "cannot open file", "check the path and permissions");
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        return YAML::Load(text.str());
    } catch (const YAML::Exception& error) {
        diagnostics.add({path, error.mark.line + 1, error.mark.column + 1}, {},
                        "YAML syntax error: " + error.msg, "fix the YAML at this line and column");
        return std::nullopt;
    }
}

std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diagnostics) {
    auto root = parse_yaml_file(path, diagnostics);
    if (root && !yaml_within_limits(*root, path, InputLimits{}, diagnostics)) return std::nullopt;
    return root;
}

std::optional<double> scalar_number(const YAML::Node& node, double min, double max) {
    if (!node.IsScalar()) return std::nullopt;
    return parse_real(node.Scalar(), min, max);
}

YamlFields::YamlFields(const YAML::Node& node, std::string file, std::string subject,
                       Diagnostics& diagnostics)
    : node_(node), file_(std::move(file)), subject_(std::move(subject)), diagnostics_(diagnostics) {
    is_map_ = node_.IsMap();
    if (!is_map_)
        diagnostics_.add(location_of(node_, file_), subject_, "expected a mapping of key: value",
                         "see configs/README.md for the expected keys");
}

void YamlFields::allow_only(std::initializer_list<const char*> keys) {
    if (!is_map_) return;
    std::set<std::string> allowed(keys.begin(), keys.end());
    for (const auto& entry : node_) {
        const std::string key = entry.first.as<std::string>("");
        if (allowed.count(key)) continue;
        std::string known;
        for (const auto& k : allowed) known += (known.empty() ? "" : ", ") + k;
        diagnostics_.add(location_of(entry.first, file_), subject_, "unknown key '" + key + "'",
                         "known keys here: " + known);
    }
}

bool YamlFields::has(const char* key) const { return !node(key).IsNull(); }

YAML::Node YamlFields::node(const char* key) const {
    // Const lookup (no key is created); an absent key reads as a null node.
    if (!is_map_) return YAML::Node();
    const YAML::Node& map = node_;
    YAML::Node value = map[key];
    return value.IsDefined() ? value : YAML::Node();
}

SourceLocation YamlFields::where(const char* key) const {
    if (!is_map_) return where();
    for (const auto& entry : node_)
        if (entry.first.as<std::string>("") == key) return location_of(entry.second, file_);
    return where();
}

void YamlFields::problem(const char* key, const std::string& message, const std::string& hint) {
    diagnostics_.add(where(key), subject_, std::string("'") + key + "': " + message, hint);
}

bool YamlFields::require(const char* key, bool required) {
    if (has(key)) return true;
    if (required && is_map_)
        diagnostics_.add(where(), subject_, std::string("missing required key '") + key + "'",
                         "add it; see configs/README.md");
    return false;
}

std::optional<std::string> YamlFields::string(const char* key, bool required) {
    if (!require(key, required)) return std::nullopt;
    YAML::Node value = node(key);
    if (!value.IsScalar()) {
        problem(key, "expected a text value");
        return std::nullopt;
    }
    return value.Scalar();
}

std::optional<long long> YamlFields::integer(const char* key, bool required) {
    return integer(key, std::numeric_limits<long long>::min(),
                   std::numeric_limits<long long>::max(), required);
}

std::optional<long long> YamlFields::integer(const char* key, long long min, long long max,
                                             bool required) {
    if (!require(key, required)) return std::nullopt;
    YAML::Node value = node(key);
    const std::string text = value.IsScalar() ? value.Scalar() : "(a list or mapping)";
    if (auto parsed = parse_integer(text, min, max)) return *parsed;
    diagnostics_.add(number_problem(
        text, range_text(static_cast<std::int64_t>(min), static_cast<std::int64_t>(max)),
        {where(key), subject_, key}));
    return std::nullopt;
}

std::optional<double> YamlFields::number(const char* key, bool required) {
    return number(key, -std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                  required);
}

std::optional<double> YamlFields::number(const char* key, double min, double max, bool required) {
    if (!require(key, required)) return std::nullopt;
    YAML::Node value = node(key);
    const std::string text = value.IsScalar() ? value.Scalar() : "(a list or mapping)";
    if (auto parsed = parse_real(text, min, max)) return *parsed;
    const bool any =
        min == -std::numeric_limits<double>::max() && max == std::numeric_limits<double>::max();
    diagnostics_.add(number_problem(text, any ? "a finite number" : range_text(min, max),
                                    {where(key), subject_, key}));
    return std::nullopt;
}

std::optional<bool> YamlFields::boolean(const char* key, bool required) {
    if (!require(key, required)) return std::nullopt;
    YAML::Node value = node(key);
    try {
        if (value.IsScalar()) return value.as<bool>();
    } catch (const YAML::Exception&) {
    }
    problem(key, "expected true or false");
    return std::nullopt;
}

}  // namespace storyreel
