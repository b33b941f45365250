#include "tests/support/json_schema.h"

#include <regex>
#include <set>

namespace storyreel::testing {

using nlohmann::json;

namespace {

bool has_type(const json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    return false;
}

void validate(const json& value, const json& schema, const std::string& path,
              std::vector<std::string>& out) {
    static const std::set<std::string> known = {
        "$schema",   "$id",      "title",      "description",
        "type",      "required", "properties", "additionalProperties",
        "items",     "enum",     "const",      "minimum",
        "minLength", "minItems", "pattern"};
    for (const auto& [keyword, _] : schema.items())
        if (!known.count(keyword))
            out.push_back(path + ": schema keyword '" + keyword + "' not supported");
    const std::string where = path.empty() ? "/" : path;
    if (schema.contains("type")) {
        const json types =
            schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
        bool ok = false;
        for (const auto& type : types) ok = ok || has_type(value, type.get<std::string>());
        if (!ok) {
            out.push_back(where + ": expected " + schema["type"].dump() + ", got " + value.dump());
            return;
        }
    }
    if (schema.contains("const") && value != schema["const"])
        out.push_back(where + ": expected " + schema["const"].dump() + ", got " + value.dump());
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
        out.push_back(where + ": " + value.dump() + " is not one of " + schema["enum"].dump());
    if (schema.contains("minimum") && value.is_number() &&
        value.get<double>() < schema["minimum"].get<double>())
        out.push_back(where + ": " + value.dump() + " is below " + schema["minimum"].dump());
    if (value.is_string()) {
        if (schema.contains("minLength") &&
            value.get<std::string>().size() < schema["minLength"].get<std::size_t>())
            out.push_back(where + ": shorter than " + schema["minLength"].dump());
        if (schema.contains("pattern") &&
            !std::regex_search(value.get<std::string>(),
                               std::regex(schema["pattern"].get<std::string>())))
            out.push_back(where + ": " + value.dump() + " does not match " +
                          schema["pattern"].dump());
    }
    if (value.is_object()) {
        for (const auto& key : schema.value("required", json::array()))
            if (!value.contains(key.get<std::string>()))
                out.push_back(where + ": missing " + key.dump());
        const json properties = schema.value("properties", json::object());
        for (const auto& [key, item] : value.items()) {
            if (properties.contains(key))
                validate(item, properties[key], path + "/" + key, out);
            else if (schema.contains("additionalProperties") &&
                     schema["additionalProperties"] == false)
                out.push_back(where + ": unexpected property '" + key + "'");
        }
    }
    if (value.is_array()) {
        if (schema.contains("minItems") && value.size() < schema["minItems"].get<std::size_t>())
            out.push_back(where + ": fewer than " + schema["minItems"].dump() + " items");
        if (schema.contains("items"))
            for (std::size_t i = 0; i < value.size(); ++i)
                validate(value[i], schema["items"], path + "/" + std::to_string(i), out);
    }
}

}  // namespace

std::vector<std::string> schema_violations(const json& document, const json& schema) {
    std::vector<std::string> out;
    validate(document, schema, "", out);
    return out;
}

}  // namespace storyreel::testing
