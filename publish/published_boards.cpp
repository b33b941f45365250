#include "publish/published_boards.h"

#include "publish/sequence_folder.h"

namespace storyreel::publish {

namespace {

/// A version's panels and board hashes; false when its manifest does not hold them.
bool read_version(const SequenceFolder& folder, int version, PublishedBoards& boards) {
    try {
        const nlohmann::json manifest = folder.manifest(version);
        const auto panels = manifest.find("panels");
        if (panels == manifest.end() || !panels->is_array()) return false;
        for (const auto& panel : *panels) {
            if (!panel.is_object()) return false;
            const auto name = panel.find("panel"), hash = panel.find("board_hash");
            if (name == panel.end() || hash == panel.end() || !name->is_string() ||
                !hash->is_string())
                return false;
            boards.board_hash_by_panel[name->get<std::string>()] = hash->get<std::string>();
        }
        boards.version = SequenceFolder::version_name(version);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

BoardHistory read_board_history(const std::filesystem::path& root, const std::string& show,
                                const CutPlan& plan, std::size_t depth) {
    BoardHistory history;
    if (root.empty() || depth == 0) return history;
    for (const auto& unit : plan.units) {
        const SequenceFolder folder(root, show, unit.name);
        auto& versions = history[unit.name];
        const std::vector<int> published = folder.versions();
        for (auto version = published.rbegin();
             version != published.rend() && versions.size() < depth; ++version) {
            PublishedBoards boards;
            if (!read_version(folder, *version, boards)) break;
            versions.push_back(std::move(boards));
        }
    }
    return history;
}

}  // namespace storyreel::publish
