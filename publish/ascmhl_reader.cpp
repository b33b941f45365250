// Reading ASC MHL histories back and checking a folder against them (see ascmhl.h).

#include <algorithm>
#include <map>

#include "editorial/xml_tree.h"
#include "pipeline/content_hash.h"
#include "publish/ascmhl.h"
#include "publish/ascmhl_names.h"
#include "publish/c4_id.h"
#include "publish/delivery_hash.h"
#include "publish/publish_error.h"

namespace storyreel::publish {

namespace fs = std::filesystem;

namespace {

XmlDocument parse(const fs::path& file) {
    try {
        return parse_xml_file(file);
    } catch (const std::exception& error) {
        throw PublishError(std::string(error.what()) + " (the media hash list is damaged)");
    }
}

std::string namespace_of(const xmlNode* element) {
    return element && element->ns && element->ns->href
               ? reinterpret_cast<const char*>(element->ns->href)
               : "";
}

/// The root element, checked to be `name` in `ns`.
xmlNode* root_named(xmlDoc* document, const char* name, const char* ns, const fs::path& file) {
    xmlNode* root = xmlDocGetRootElement(document);
    if (!root || std::string(reinterpret_cast<const char*>(root->name)) != name ||
        namespace_of(root) != ns)
        throw PublishError(file.string() + ": not an ASC MHL " +
                           (std::string(name) == "hashlist" ? "generation" : "chain") +
                           " file (expected <" + name + " xmlns=\"" + ns + "\">)");
    return root;
}

std::vector<MhlHash> hashes_of(const fs::path& file) {
    XmlDocument document = parse(file);
    xmlNode* root = root_named(document.get(), "hashlist", kMhlNamespace, file);
    std::vector<MhlHash> hashes;
    for (xmlNode* entry : child_elements(first_child(root, "hashes"), "hash")) {
        MhlHash hash;
        xmlNode* path = first_child(entry, "path");
        hash.path = text_of(path);
        xmlNode* digest = first_child(entry, "xxh128");
        if (hash.path.empty() || !digest)
            throw PublishError(
                file.string() + ": line " + std::to_string(xmlGetLineNo(entry)) +
                ": a <hash> without a <path> or an <xxh128> (storyreel checks xxh128 hashes)");
        const fs::path listed(hash.path);
        const bool leaves_folder =
            listed.is_absolute() || std::any_of(listed.begin(), listed.end(),
                                                [](const fs::path& part) { return part == ".."; });
        if (leaves_folder)
            throw PublishError(file.string() + ": line " + std::to_string(xmlGetLineNo(entry)) +
                               ": <path> '" + hash.path +
                               "' is not a file inside the folder (absolute, or through '..')");
        hash.xxh128 = text_of(digest);
        hash.action = attribute_of(digest, "action");
        hash.hashed_at = attribute_of(digest, "hashdate");
        hash.modified = attribute_of(path, "lastmodificationdate");
        hashes.push_back(std::move(hash));
    }
    return hashes;
}

}  // namespace

std::vector<MhlGeneration> read_mhl_history(const fs::path& folder) {
    const fs::path chain_file = folder / kMhlFolder / kMhlChainFile;
    std::vector<MhlGeneration> generations;
    if (!fs::exists(chain_file)) return generations;
    XmlDocument document = parse(chain_file);
    xmlNode* root =
        root_named(document.get(), "ascmhldirectory", kMhlDirectoryNamespace, chain_file);
    for (xmlNode* list : child_elements(root, "hashlist")) {
        MhlGeneration generation;
        generation.file = text_of(first_child(list, "path"));
        generation.number = generation_number_of(generation.file);
        if (generation.number == 0 || generation.file.find('/') != std::string::npos)
            throw PublishError(chain_file.string() + ": line " +
                               std::to_string(xmlGetLineNo(list)) + ": '" + generation.file +
                               "' is not a generation file name (NNNN_<folder>_<date>.mhl)");
        generation.c4 = text_of(first_child(list, "c4"));
        generations.push_back(std::move(generation));
    }
    return generations;
}

MhlVerification verify_mhl_history(const fs::path& folder) {
    MhlVerification result;
    const fs::path mhl_folder = folder / kMhlFolder;
    if (!fs::exists(mhl_folder / kMhlChainFile)) {
        result.problems.push_back(folder.string() + ": no ASC MHL history (" +
                                  (mhl_folder / kMhlChainFile).string() + " is missing)");
        return result;
    }
    std::map<std::string, MhlHash> newest;  // path -> its hash in the newest generation listing it
    for (const MhlGeneration& generation : read_mhl_history(folder)) {
        ++result.generations;
        const fs::path file = mhl_folder / generation.file;
        if (!fs::exists(file)) {
            result.problems.push_back(file.string() + ": generation " +
                                      std::to_string(generation.number) +
                                      " of the chain is missing");
            continue;
        }
        if (c4_id_of_file(file) != generation.c4) {
            result.problems.push_back(
                file.string() +
                ": changed since it was written (its C4 ID differs from the chain's)");
            continue;
        }
        for (MhlHash& hash : hashes_of(file)) newest[hash.path] = std::move(hash);
    }
    for (const auto& [path, hash] : newest) {
        const fs::path file = folder / path;
        if (!fs::exists(file)) {
            result.problems.push_back(file.string() +
                                      ": listed in the media hash list but missing");
            continue;
        }
        ++result.files_checked;
        const std::string got = xxh128_hex(hash_file(file));
        if (got != hash.xxh128)
            result.problems.push_back(file.string() + ": xxh128 " + got +
                                      " does not match the media hash list's " + hash.xxh128 +
                                      " (the file changed or was damaged in transfer)");
    }
    return result;
}

}  // namespace storyreel::publish
