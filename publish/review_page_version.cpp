#include "publish/review_page_version.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include "pipeline/json_number.h"
#include "publish/delivery_hash.h"
#include "publish/publish_error.h"
#include "publish/sequence_folder.h"
#include "report/changes_html.h"
#include "report/html_escape.h"

namespace storyreel::publish {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// The version number of the previous published version (0 when there is none or it is unreadable).
int previous_version(const ReviewPageVersion& version) {
    return static_cast<int>(json_integer_or(version.previous_manifest, "version", 0, 0,
                                            std::numeric_limits<int>::max()));
}

/// Panel -> thumbnail (relative to the page folder `page_folder`) of a manifest's outputs.
report::PanelThumbnails thumbnails_of(const json& outputs, const std::string& page_folder) {
    report::PanelThumbnails thumbnails;
    if (!outputs.is_array()) return thumbnails;
    const std::string prefix = page_folder + "/";
    for (const auto& output : outputs) {
        const std::string file = output.value("file", "");
        if (output.value("kind", "") != "thumbnail" || file.rfind(prefix, 0) != 0) continue;
        std::istringstream panels(output.value("panels", ""));
        for (std::string panel; panels >> panel;) thumbnails[panel] = file.substr(prefix.size());
    }
    return thumbnails;
}

/// The previous version's thumbnails the changes show (redrawn and removed panels), copied
/// into the staged version unless a file of that name (same content) is there already.
void copy_old_thumbnails(const ReviewPageVersion& version, const std::string& page_folder,
                         const report::PanelThumbnails& before, json& outputs,
                         std::vector<MhlHash>& hashes) {
    const json& panels = version.changes->value("panels", json::object());
    for (const char* kind : {"redrawn", "removed"})
        for (const auto& entry : panels.value(kind, json::array())) {
            const auto found = before.find(entry.value("panel", ""));
            if (found == before.end()) continue;
            const std::string file = page_folder + "/" + found->second;
            const fs::path target = version.staging / file;
            std::error_code error;
            if (fs::exists(target, error)) continue;
            fs::create_directories(target.parent_path(), error);
            fs::copy_file(version.previous_folder / file, target, error);
            if (error)
                throw PublishError((version.previous_folder / file).string() +
                                   ": cannot copy the earlier thumbnail: " + error.message() +
                                   " (check the previous version is complete)");
            const DeliveryHashes delivered = hash_delivered_file(target);
            outputs.push_back({{"file", file},
                               {"kind", "thumbnail"},
                               {"stage", "report"},
                               {"from_version", previous_version(version)},
                               {"sha256", delivered.sha256},
                               {"xxh128", delivered.xxh128},
                               {"size_bytes", delivered.size}});
            hashes.push_back(mhl_hash_of(version.staging, target, delivered.xxh128));
        }
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replace_mark(std::string& text, const std::string& mark, const std::string& with) {
    if (const auto at = text.find(mark); at != std::string::npos)
        text.replace(at, mark.size(), with);
}

}  // namespace

void finish_review_pages(const ReviewPageVersion& version, json& outputs,
                         std::vector<MhlHash>& hashes) {
    const std::size_t count = outputs.size();
    for (std::size_t i = 0; i < count; ++i) {
        if (outputs[i].value("kind", "") != "review_page") continue;
        const std::string file = outputs[i].at("file");
        const std::string page_folder = fs::path(file).parent_path().generic_string();
        const fs::path page = version.staging / file;
        std::string html = read_text(page);
        std::string changes;
        if (version.previous_manifest.is_null()) {
            changes =
                "<section id=\"changes\"><h2>Changes</h2><p>The first published "
                "version.</p></section>";
        } else {
            const report::PanelThumbnails before =
                thumbnails_of(version.previous_manifest.value("outputs", json()), page_folder);
            copy_old_thumbnails(version, page_folder, before, outputs, hashes);
            changes = report::changes_html(*version.changes,
                                           SequenceFolder::version_name(previous_version(version)),
                                           before, thumbnails_of(outputs, page_folder));
        }
        replace_mark(html, report::kChangesMark, changes);
        replace_mark(html, report::kVersionMark,
                     "Published as " + SequenceFolder::version_name(version.version) + " on " +
                         report::html_escape(version.created) + ".");
        std::error_code error;
        fs::permissions(page, fs::perms::owner_write, fs::perm_options::add, error);
        {
            std::ofstream out(page, std::ios::binary | std::ios::trunc);
            out << html;
            if (!out.flush())
                throw PublishError(page.string() + ": cannot write (check free space)");
        }
        fs::permissions(
            page, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read, error);
        const DeliveryHashes delivered = hash_delivered_file(page);
        json& entry = outputs[i];
        entry["built_xxh128"] = entry.value("xxh128", "");
        entry["xxh128"] = delivered.xxh128;
        entry["sha256"] = delivered.sha256;
        entry["size_bytes"] = delivered.size;
        for (auto& hash : hashes)
            if (hash.path == file) hash = mhl_hash_of(version.staging, page, delivered.xxh128);
    }
}

}  // namespace storyreel::publish
