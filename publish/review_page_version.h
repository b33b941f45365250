#pragma once
// A published version's review page says which version it is and what changed since the
// previous one: the publisher writes both into the staged copy of the page (like cut lists
// are pointed at the version's movie), with the previous version's thumbnails of redrawn and
// removed panels copied beside the new ones so the page shows old and new side by side.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "publish/ascmhl.h"

namespace storyreel::publish {

/// Where the version is being assembled and what it is compared with.
struct ReviewPageVersion {
    std::filesystem::path staging;            ///< the staged version folder
    int version = 0;                          ///< the version being published
    std::string created;                      ///< its date (manifest `created`)
    nlohmann::json previous_manifest;         ///< null for the first version
    std::filesystem::path previous_folder;    ///< the previous version's folder (when any)
    const nlohmann::json* changes = nullptr;  ///< changes.json
};

/// Finishes every staged review page listed in `outputs` (manifest entries): fills in the
/// version line and the changes section, copies the old thumbnails it shows (added to
/// `outputs` and `hashes`), and updates the page's entry (`built_xxh128` keeps the build's).
/// Throws PublishError naming the file on failure.
void finish_review_pages(const ReviewPageVersion& version, nlohmann::json& outputs,
                         std::vector<MhlHash>& hashes);

}  // namespace storyreel::publish
