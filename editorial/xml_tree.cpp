#include "editorial/xml_tree.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <stdexcept>

namespace storyreel {

namespace {

const xmlChar* chars(const char* text) { return reinterpret_cast<const xmlChar*>(text); }

struct XmlCharDeleter {
    void operator()(xmlChar* text) const { xmlFree(text); }
};

}  // namespace

XmlDocument new_xml_document(const char* root_name, xmlNode** root) {
    XmlDocument document(xmlNewDoc(chars("1.0")));
    if (!document) throw std::bad_alloc();
    *root = xmlNewDocNode(document.get(), nullptr, chars(root_name), nullptr);
    xmlDocSetRootElement(document.get(), *root);
    xmlCreateIntSubset(document.get(), chars(root_name), nullptr, nullptr);
    return document;
}

xmlNode* add_element(xmlNode* parent, const char* name, const std::string& text) {
    return xmlNewTextChild(parent, nullptr, chars(name),
                           text.empty() ? nullptr : chars(text.c_str()));
}

void set_attribute(xmlNode* element, const char* name, const std::string& value) {
    xmlSetProp(element, chars(name), chars(value.c_str()));
}

std::string serialize_xml(xmlDoc* document) {
    xmlChar* buffer = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(document, &buffer, &size, "UTF-8", 1);
    std::unique_ptr<xmlChar, XmlCharDeleter> owned(buffer);
    if (!buffer) throw std::runtime_error("libxml2 could not serialise an XML document");
    return std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(size));
}

namespace {

/// The document, or std::runtime_error naming `what` and libxml2's message with its line.
XmlDocument checked(xmlDoc* parsed, const std::string& what) {
    XmlDocument document(parsed);
    if (!document) {
        const xmlError* error = xmlGetLastError();
        std::string message = error && error->message ? error->message : "unreadable";
        while (!message.empty() && message.back() == '\n') message.pop_back();
        throw std::runtime_error(what + ":" + std::to_string(error ? error->line : 0) +
                                 ": not well-formed XML: " + message);
    }
    return document;
}

}  // namespace

XmlDocument parse_xml_file(const std::filesystem::path& file) {
    return checked(xmlReadFile(file.c_str(), nullptr,
                               XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR),
                   file.string());
}

XmlDocument parse_xml_text(const std::string& text, const std::string& what) {
    return checked(xmlReadMemory(text.data(), static_cast<int>(text.size()), nullptr, nullptr,
                                 XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR |
                                     XML_PARSE_NOBLANKS),
                   what);
}

void set_text(xmlNode* element, const std::string& text) {
    xmlNodeSetContent(element, nullptr);
    xmlNodeAddContent(element, chars(text.c_str()));
}

std::vector<xmlNode*> child_elements(const xmlNode* parent, const char* name) {
    std::vector<xmlNode*> children;
    if (!parent) return children;
    for (xmlNode* child = parent->children; child; child = child->next)
        if (child->type == XML_ELEMENT_NODE &&
            (!name || std::strcmp(reinterpret_cast<const char*>(child->name), name) == 0))
            children.push_back(child);
    return children;
}

xmlNode* first_child(const xmlNode* parent, const char* name) {
    auto children = child_elements(parent, name);
    return children.empty() ? nullptr : children.front();
}

std::string text_of(const xmlNode* element) {
    if (!element) return {};
    std::unique_ptr<xmlChar, XmlCharDeleter> text(xmlNodeGetContent(element));
    return text ? reinterpret_cast<const char*>(text.get()) : "";
}

std::string attribute_of(const xmlNode* element, const char* name) {
    if (!element) return {};
    std::unique_ptr<xmlChar, XmlCharDeleter> value(xmlGetProp(element, chars(name)));
    return value ? reinterpret_cast<const char*>(value.get()) : "";
}

}  // namespace storyreel
