#include "editorial/movie_reference.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "editorial/cut_list_timeline.h"
#include "editorial/xmeml_writer.h"
#include "editorial/xml_tree.h"

namespace storyreel {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Every string value of key `key` in `document` equal to one of `old_values` becomes `value`.
void replace_values(json& document, const char* key, const std::vector<std::string>& old_values,
                    const std::string& value) {
    if (document.is_array()) {
        for (auto& item : document) replace_values(item, key, old_values, value);
        return;
    }
    if (!document.is_object()) return;
    for (auto& [name, item] : document.items()) {
        if (name == key && item.is_string() &&
            std::find(old_values.begin(), old_values.end(), item.get<std::string>()) !=
                old_values.end())
            item = value;
        else
            replace_values(item, key, old_values, value);
    }
}

std::string retarget_otio(const std::string& text, const fs::path& from, const fs::path& to,
                          const fs::path& list_folder) {
    json document = json::parse(text);
    const std::string url = to.parent_path() == list_folder ? to.filename().string() : file_url(to);
    replace_values(document, "target_url", {from.filename().string(), file_url(from)}, url);
    replace_values(document, "name", {from.filename().string()}, to.filename().string());
    return document.dump(4) + "\n";
}

/// Calls `visit` on every element below `node`.
template <typename Visit>
void for_each_element(xmlNode* node, const Visit& visit) {
    for (xmlNode* child : child_elements(node)) {
        visit(child);
        for_each_element(child, visit);
    }
}

std::string retarget_xml(const std::string& text, const std::string& extension,
                         const fs::path& from, const fs::path& to) {
    XmlDocument document = parse_xml_text(text, "cut list");
    const bool fcp7 = extension == ".xml";
    const std::string old_url = fcp7 ? fcp7_url(from) : file_url(from);
    const std::string new_url = fcp7 ? fcp7_url(to) : file_url(to);
    for_each_element(xmlDocGetRootElement(document.get()), [&](xmlNode* element) {
        const std::string name = reinterpret_cast<const char*>(element->name);
        if (fcp7 && name == "pathurl" && text_of(element) == old_url) set_text(element, new_url);
        if (fcp7 && name == "name" && text_of(element) == from.filename().string())
            set_text(element, to.filename().string());
        if (!fcp7 && name == "media-rep" && attribute_of(element, "src") == old_url)
            set_attribute(element, "src", new_url);
        if (!fcp7 && name == "asset" && attribute_of(element, "name") == from.stem().string())
            set_attribute(element, "name", to.stem().string());
        if (!fcp7 && name == "asset-clip" &&
            attribute_of(element, "name") == from.filename().string())
            set_attribute(element, "name", to.filename().string());
    });
    return serialize_xml(document.get());
}

std::string retarget_edl(const std::string& text, const fs::path& from, const fs::path& to) {
    const std::string old_line = "* FROM CLIP NAME: " + from.filename().string() + "\n";
    const std::string new_line = "* FROM CLIP NAME: " + to.filename().string() + "\n";
    std::string result = text;
    for (auto at = result.find(old_line); at != std::string::npos;
         at = result.find(old_line, at + new_line.size()))
        result.replace(at, old_line.size(), new_line);
    return result;
}

}  // namespace

std::string retarget_movie(const std::string& text, const std::string& extension,
                           const fs::path& from, const fs::path& to, const fs::path& list_folder) {
    if (extension == ".otio") return retarget_otio(text, from, to, list_folder);
    if (extension == ".xml" || extension == ".fcpxml")
        return retarget_xml(text, extension, from, to);
    if (extension == ".edl") return retarget_edl(text, from, to);
    return text;
}

}  // namespace storyreel
