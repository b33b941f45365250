// Writing ASC MHL generations and the chain file (see ascmhl.h).

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "editorial/xml_tree.h"
#include "pipeline/atomic_file.h"
#include "pipeline/utc_time.h"
#include "pipeline/version.h"
#include "publish/ascmhl.h"
#include "publish/ascmhl_names.h"
#include "publish/c4_id.h"
#include "publish/delivery_hash.h"
#include "publish/publish_error.h"

namespace storyreel::publish {

namespace fs = std::filesystem;

namespace {

const xmlChar* chars(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

/// A document whose root element is in `ns` (its children inherit it).
XmlDocument namespaced_document(const char* root_name, const char* ns, xmlNode** root) {
    XmlDocument document(xmlNewDoc(chars("1.0")));
    *root = xmlNewDocNode(document.get(), nullptr, chars(root_name), nullptr);
    xmlDocSetRootElement(document.get(), *root);
    xmlSetNs(*root, xmlNewNs(*root, chars(ns), nullptr));
    return document;
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
    return name;
}

std::string iso_utc(std::time_t when) {
    std::tm utc{};
    ::gmtime_r(&when, &utc);
    char text[32];
    return std::string(text, std::strftime(text, sizeof text, kIso8601Utc, &utc));
}

std::string generation_xml(const MhlGeneration& generation) {
    xmlNode* root = nullptr;
    XmlDocument document = namespaced_document("hashlist", kMhlNamespace, &root);
    set_attribute(root, "version", "2.0");
    xmlNode* creator = add_element(root, "creatorinfo");
    add_element(creator, "creationdate", utc_time_now());
    add_element(creator, "hostname", host_name());
    set_attribute(add_element(creator, "tool", "storyreel"), "version", kVersion);
    if (!generation.comment.empty()) add_element(creator, "comment", generation.comment);
    xmlNode* process = add_element(root, "processinfo");
    add_element(process, "process", generation.process);
    xmlNode* ignore = add_element(process, "ignore");
    for (const char* pattern : kMhlIgnorePatterns) add_element(ignore, "pattern", pattern);
    if (!generation.hashes.empty()) {
        xmlNode* hashes = add_element(root, "hashes");
        for (const MhlHash& hash : generation.hashes) {
            xmlNode* entry = add_element(hashes, "hash");
            xmlNode* path = add_element(entry, "path", hash.path);
            set_attribute(path, "size", std::to_string(hash.size));
            if (!hash.modified.empty()) set_attribute(path, "lastmodificationdate", hash.modified);
            xmlNode* digest = add_element(entry, "xxh128", hash.xxh128);
            set_attribute(digest, "action", hash.action);
            set_attribute(digest, "hashdate",
                          hash.hashed_at.empty() ? utc_time_now() : hash.hashed_at);
        }
    }
    return serialize_xml(document.get());
}

std::string chain_xml(const std::vector<MhlGeneration>& generations,
                      const std::vector<std::string>& c4_ids) {
    xmlNode* root = nullptr;
    XmlDocument document = namespaced_document("ascmhldirectory", kMhlDirectoryNamespace, &root);
    for (std::size_t i = 0; i < generations.size(); ++i) {
        xmlNode* list = add_element(root, "hashlist");
        set_attribute(list, "sequencenr", std::to_string(generations[i].number));
        add_element(list, "path", generations[i].file);
        add_element(list, "c4", c4_ids[i]);
    }
    return serialize_xml(document.get());
}

/// The next free sequence number: past every generation in the chain and every generation
/// file lying in the folder (one written by a killed process, never chained, keeps its number).
int next_generation_number(const fs::path& mhl_folder, const std::vector<MhlGeneration>& chained) {
    int highest = 0;
    for (const auto& generation : chained) highest = std::max(highest, generation.number);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(mhl_folder, error))
        highest = std::max(highest, generation_number_of(entry.path().filename().string()));
    return highest + 1;
}

}  // namespace

MhlHash mhl_hash_of(const fs::path& folder, const fs::path& file, const std::string& xxh128,
                    const std::string& action) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0)
        throw PublishError(file.string() +
                           ": cannot read its size and date for the media hash list");
    MhlHash hash;
    hash.path = file.lexically_relative(folder).generic_string();
    hash.size = static_cast<std::uintmax_t>(info.st_size);
    hash.modified = iso_utc(info.st_mtim.tv_sec);
    hash.xxh128 = xxh128_hex(xxh128);
    hash.action = action;
    hash.hashed_at = utc_time_now();
    return hash;
}

MhlGeneration append_mhl_generation(const fs::path& folder, const std::string& folder_name,
                                    MhlGeneration generation) {
    const fs::path mhl_folder = folder / kMhlFolder;
    std::error_code error;
    fs::create_directories(mhl_folder, error);
    if (error)
        throw PublishError(mhl_folder.string() +
                           ": cannot create the media hash list folder: " + error.message());
    std::vector<MhlGeneration> chained = read_mhl_history(folder);
    generation.number = next_generation_number(mhl_folder, chained);
    generation.file =
        generation_file_name(generation.number, folder_name, utc_time_now(kMhlFileTimeUtc));
    try {
        write_file_atomically(mhl_folder / generation.file, generation_xml(generation));
        chained.push_back(generation);
        std::vector<std::string> c4_ids;
        for (const auto& chained_generation : chained)
            c4_ids.push_back(c4_id_of_file(mhl_folder / chained_generation.file));
        write_file_atomically(mhl_folder / kMhlChainFile, chain_xml(chained, c4_ids));
    } catch (const PublishError&) {
        throw;
    } catch (const std::exception& failure) {
        throw PublishError(mhl_folder.string() + ": cannot write the media hash list: " +
                           failure.what() + " (check the folder is writable and has space)");
    }
    return generation;
}

}  // namespace storyreel::publish
