#include "pipeline/shot_record.h"

#include <tbb/parallel_for.h>

#include <fstream>
#include <map>

#include "pipeline/atomic_file.h"
#include "pipeline/cache_key.h"
#include "pipeline/content_hash.h"
#include "pipeline/diagnostics.h"
#include "pipeline/file_hash_memo.h"
#include "pipeline/json_number.h"

namespace storyreel {

namespace fs = std::filesystem;

std::string ShotIngredients::key() const {
    ContentHasher hasher;
    hasher.add("storyreel shot segment v1").add(settings);
    hasher.add(static_cast<long long>(panels.size()));
    for (const auto& panel : panels) {
        hasher.add(panel.content_hash).add(panel.frames);
        if (!panel.look.empty()) hasher.add("look").add(panel.look);
    }
    return hasher.digest();
}

nlohmann::json ShotIngredients::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& panel : panels)
        list.push_back({{"name", panel.name},
                        {"hash", panel.content_hash},
                        {"frames", panel.frames},
                        {"look", panel.look}});
    return {{"settings", settings}, {"panels", list}, {"key", key()}};
}

ShotIngredients ShotIngredients::from_json(const nlohmann::json& json) {
    ShotIngredients ingredients;
    ingredients.settings = json.at("settings").get<std::string>();
    for (const auto& panel : json.at("panels"))
        ingredients.panels.push_back(
            {panel.at("name").get<std::string>(), panel.at("hash").get<std::string>(),
             json_integer_at(panel, "frames", 0, std::numeric_limits<std::int64_t>::max()),
             panel.value("look", std::string())});
    return ingredients;
}

std::vector<std::string> explain_rebuild(const ShotIngredients& previous,
                                         const ShotIngredients& now) {
    std::vector<std::string> reasons;
    if (previous.settings != now.settings) {
        std::string changes;
        for (const auto& change : describe_settings_change(previous.settings, now.settings))
            changes += (changes.empty() ? "" : "; ") + change;
        reasons.push_back(
            changes == "stage settings changed" ? changes : "stage settings changed: " + changes);
    }
    std::map<std::string, const PanelIngredient*> before;
    for (const auto& panel : previous.panels) before[panel.name] = &panel;
    std::vector<std::string> order_before, order_now;
    for (const auto& panel : previous.panels) order_before.push_back(panel.name);
    for (const auto& panel : now.panels) {
        order_now.push_back(panel.name);
        auto it = before.find(panel.name);
        if (it == before.end()) {
            reasons.push_back(panel.name + " added");
            continue;
        }
        if (it->second->content_hash != panel.content_hash)
            reasons.push_back(panel.name + " image changed");
        if (it->second->frames != panel.frames)
            reasons.push_back(panel.name + " hold " + std::to_string(it->second->frames) + " -> " +
                              std::to_string(panel.frames) + " frames");
        if (it->second->look != panel.look) reasons.push_back(panel.name + " look changed");
        before.erase(it);
    }
    for (const auto& [name, panel] : before) reasons.push_back(name + " removed");
    if (reasons.empty() && order_before != order_now) reasons.push_back("panels re-ordered");
    return reasons;
}

BuildLog::BuildLog(fs::path folder) : folder_(std::move(folder)) {}

fs::path BuildLog::file_for(const std::string& stage, const std::string& shot) const {
    std::string name = shot;
    for (char& c : name)
        if (c == '/') c = '~';
    return folder_ / stage / (name + ".json");
}

std::optional<ShotIngredients> BuildLog::last(const std::string& stage,
                                              const std::string& shot) const {
    std::ifstream in(file_for(stage, shot));
    if (!in) return std::nullopt;
    try {
        return ShotIngredients::from_json(nlohmann::json::parse(in));
    } catch (const std::exception&) {
        return std::nullopt;  // an unreadable record only loses the explanation
    }
}

void BuildLog::record(const std::string& stage, const std::string& shot,
                      const ShotIngredients& ingredients) {
    const fs::path file = file_for(stage, shot);
    std::error_code error;
    fs::create_directories(file.parent_path(), error);
    // Written per shot in the serial part of the build: an fsync there waits behind the
    // movie's writes (~45 ms a shot). The record only explains the next rebuild.
    write_file_atomically(file, ingredients.to_json().dump(1) + "\n", Durability::Unsynced);
}

fs::path BuildLog::output_file_for(const std::string& stage, const fs::path& output) const {
    ContentHasher hasher;
    hasher.add(fs::absolute(output).lexically_normal().string());
    return file_for(stage,
                    "outputs/" + output.filename().string() + "-" + hasher.digest().substr(7, 16));
}

std::optional<nlohmann::json> BuildLog::last_output(const std::string& stage,
                                                    const fs::path& output) const {
    std::ifstream in(output_file_for(stage, output));
    if (!in) return std::nullopt;
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception&) {
        return std::nullopt;  // an unreadable record only costs a re-assembly
    }
}

void BuildLog::record_output(const std::string& stage, const fs::path& output,
                             const nlohmann::json& record) {
    const fs::path file = output_file_for(stage, output);
    std::error_code error;
    fs::create_directories(file.parent_path(), error);
    write_file_atomically(file, record.dump(1) + "\n");
}

InputHashes::InputHashes(const std::vector<fs::path>& files, FileHashMemo* memo) {
    std::vector<fs::path> unique;
    for (const auto& file : files)
        if (hashes_.emplace(file, std::string()).second) unique.push_back(file);
    std::vector<std::string> results(unique.size());
    tbb::parallel_for(std::size_t{0}, unique.size(), [&](std::size_t i) {
        results[i] = memo ? memo->hash(unique[i]) : hash_file(unique[i]);
    });
    for (std::size_t i = 0; i < unique.size(); ++i) hashes_[unique[i]] = results[i];
}

const std::string& InputHashes::of(const fs::path& file) const {
    auto it = hashes_.find(file);
    if (it == hashes_.end())
        throw BuildError({{file.string(), 0, 0}, {}, "input was not hashed before the build", {}});
    return it->second;
}

}  // namespace storyreel
