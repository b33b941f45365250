#pragma once
// Small RAII helpers over libxml2's tree API: documents are built as trees and serialised
// by libxml2 (never by string concatenation), and parsed back the same way.

#include <libxml/tree.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace storyreel {

struct XmlDocumentDeleter {
    void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};
using XmlDocument = std::unique_ptr<xmlDoc, XmlDocumentDeleter>;

/// A new UTF-8 document with a `<!DOCTYPE root>` declaration and its root element.
XmlDocument new_xml_document(const char* root_name, xmlNode** root);

/// Appends `<name>text</name>` (text escaped by libxml2; no text node when empty).
xmlNode* add_element(xmlNode* parent, const char* name, const std::string& text = {});
void set_attribute(xmlNode* element, const char* name, const std::string& value);

/// The document as indented UTF-8 text with its XML declaration.
std::string serialize_xml(xmlDoc* document);

/// Parses a file (no network, no entity expansion). Throws std::runtime_error naming the
/// file and libxml2's message (with its line) when it is not well-formed XML.
XmlDocument parse_xml_file(const std::filesystem::path& file);

/// Parses a document held in memory, like parse_xml_file (`what` names it in messages);
/// blank text between elements is dropped so serialize_xml indents it afresh.
XmlDocument parse_xml_text(const std::string& text, const std::string& what);

/// Replaces an element's content with `text` (escaped by libxml2 when written).
void set_text(xmlNode* element, const std::string& text);

/// Element children of `parent` named `name` (all element children when name is null).
std::vector<xmlNode*> child_elements(const xmlNode* parent, const char* name = nullptr);
/// The first element child named `name`, or null.
xmlNode* first_child(const xmlNode* parent, const char* name);
/// Text content of an element (empty for null).
std::string text_of(const xmlNode* element);
/// An attribute's value, or empty when absent.
std::string attribute_of(const xmlNode* element, const char* name);

}  // namespace storyreel
