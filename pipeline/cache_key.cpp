#include "pipeline/cache_key.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pipeline/content_hash.h"
#include "pipeline/project.h"

namespace storyreel {

namespace {

/// A value as it is written in a token: quoted (JSON) when it could be mistaken for a
/// separator, an empty value or a null.
std::string token_value(const std::string& value) {
    const bool plain = !value.empty() && value != "~" &&
                       value.find_first_of(" \t\r\n\"=|[]{},") == std::string::npos;
    return plain ? value : nlohmann::json(value).dump();
}

/// A node as one value: scalars as read, sequences `[a,b]`, maps `{k:v,...}` sorted.
std::string canonical_value(const YAML::Node& node) {
    if (node.IsNull() || !node.IsDefined()) return "~";
    if (node.IsScalar()) return token_value(node.Scalar());
    std::string text;
    if (node.IsSequence()) {
        for (const auto& item : node) text += (text.empty() ? "" : ",") + canonical_value(item);
        return "[" + text + "]";
    }
    std::map<std::string, std::string> sorted;
    for (const auto& entry : node)
        sorted[entry.first.as<std::string>()] = canonical_value(entry.second);
    for (const auto& [key, value] : sorted)
        text += (text.empty() ? "" : ",") + token_value(key) + ":" + value;
    return "{" + text + "}";
}

/// A settings text's tokens: split at spaces outside quoted values.
std::vector<std::string> split_tokens(const std::string& text) {
    std::vector<std::string> tokens;
    std::string current;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted && c == '\\' && i + 1 < text.size()) {
            current += c;
            current += text[++i];
            continue;
        }
        if (c == '"') quoted = !quoted;
        if (c == ' ' && !quoted) {
            if (!current.empty()) tokens.push_back(std::move(current));
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    return tokens;
}

/// One stage's part of a settings text: its type name and its `name=value` tokens.
struct KeyPart {
    std::string type;
    std::map<std::string, std::string> tokens;  ///< the version as "version"
    bool readable = true;
};

std::vector<KeyPart> split_parts(const std::string& text) {
    std::vector<KeyPart> parts(1);
    for (const std::string& token : split_tokens(text)) {
        KeyPart& part = parts.back();
        if (token == "|") {
            parts.emplace_back();
        } else if (part.type.empty()) {
            part.type = token;
        } else if (const auto at = token.find('='); at != std::string::npos) {
            part.tokens[token.substr(0, at)] = token.substr(at + 1);
        } else if (!part.tokens.count("version") && token.size() > 1 && token[0] == 'v') {
            part.tokens["version"] = token.substr(1);
        } else {
            part.readable = false;  // not a key's token: a hand-written text
        }
    }
    return parts;
}

}  // namespace

std::string LibraryVersions::of(const std::string& library) const {
    const auto it = versions_.find(library);
    return it == versions_.end() ? "unknown" : it->second;
}

CacheKey::CacheKey(std::string type, int version) : type_(std::move(type)), version_(version) {}

CacheKey& CacheKey::params(const YAML::Node& params, const std::vector<std::string>& outside_key) {
    if (!params.IsDefined() || params.IsNull()) return *this;
    if (!params.IsMap()) {  // validation refuses this; keep the key honest anyway
        tokens_["params"] = canonical_value(params);
        return *this;
    }
    for (const auto& entry : params) {
        const std::string name = entry.first.as<std::string>();
        if (std::find(outside_key.begin(), outside_key.end(), name) == outside_key.end())
            add_node(name, entry.second);
    }
    return *this;
}

void CacheKey::add_node(const std::string& name, const YAML::Node& node) {
    if (!node.IsMap() || node.size() == 0) {
        tokens_[name] = canonical_value(node);
        return;
    }
    for (const auto& entry : node)
        add_node(name + "." + entry.first.as<std::string>(), entry.second);
}

CacheKey& CacheKey::show(const ShowSettings& show, const std::vector<ShowSetting>& settings) {
    for (const ShowSetting setting : settings) switch (setting) {
            case ShowSetting::Resolution:
                add("show.resolution",
                    std::to_string(show.width) + "x" + std::to_string(show.height));
                break;
            case ShowSetting::FrameRate:
                add("show.frame_rate", std::to_string(show.frame_rate.num) + "/" +
                                           std::to_string(show.frame_rate.den));
                break;
            case ShowSetting::Background: {
                char text[64];
                std::snprintf(text, sizeof text, "%.9g,%.9g,%.9g", show.background[0],
                              show.background[1], show.background[2]);
                add("show.background", text);
                break;
            }
        }
    return *this;
}

CacheKey& CacheKey::libraries(const LibraryVersions& versions,
                              const std::vector<std::string>& names) {
    for (const std::string& name : names) add("lib." + name, versions.of(name));
    return *this;
}

CacheKey& CacheKey::add(const std::string& name, const std::string& value) {
    tokens_[name] = token_value(value);
    return *this;
}

CacheKey& CacheKey::files(const std::map<std::string, std::filesystem::path>& files) {
    for (const auto& [name, path] : files) add("content." + name, hash_file(path));
    return *this;
}

std::string CacheKey::text() const {
    std::string text = type_ + " v" + std::to_string(version_);
    for (const auto& [name, value] : tokens_) text += " " + name + "=" + value;
    return text;
}

std::string derive_cache_key(const std::string& type, const CacheKeyRecipe& recipe,
                             const YAML::Node& params, const ShowSettings* show,
                             const LibraryVersions& versions,
                             const std::map<std::string, std::filesystem::path>& files) {
    CacheKey key(type, recipe.version);
    key.params(params, recipe.params_outside_key).libraries(versions, recipe.libraries);
    key.files(files);
    if (show) key.show(*show, recipe.show_settings);
    return key.text();
}

std::string without_library_versions(const std::string& settings) {
    std::string text;
    for (const std::string& token : split_tokens(settings))
        if (token.rfind("lib.", 0) != 0) text += (text.empty() ? "" : " ") + token;
    return text;
}

std::vector<std::string> describe_settings_change(const std::string& before,
                                                  const std::string& now) {
    if (before == now) return {};
    const std::vector<KeyPart> old_parts = split_parts(before);
    const std::vector<KeyPart> new_parts = split_parts(now);
    const auto same_shape = [&] {
        if (old_parts.size() != new_parts.size()) return false;
        for (std::size_t i = 0; i < old_parts.size(); ++i)
            if (old_parts[i].type != new_parts[i].type || !old_parts[i].readable ||
                !new_parts[i].readable)
                return false;
        return true;
    };
    if (!same_shape()) return {"stage settings changed"};  // other stages, or keys of an older form
    std::vector<std::string> changes;
    for (std::size_t i = 0; i < old_parts.size(); ++i) {
        const auto& was = old_parts[i].tokens;
        const auto& is = new_parts[i].tokens;
        const std::string& type = new_parts[i].type;
        for (const auto& [name, value] : is) {
            const auto it = was.find(name);
            if (it == was.end())
                changes.push_back(type + " " + name + " added (" + value + ")");
            else if (it->second != value)
                changes.push_back(type + " " + name + " " + it->second + " -> " + value);
        }
        for (const auto& [name, value] : was)
            if (!is.count(name))
                changes.push_back(type + " " + name + " removed (was " + value + ")");
    }
    if (changes.empty()) changes.push_back("stage settings changed");  // spacing only
    return changes;
}

}  // namespace storyreel
