#include "sources/script_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace storyreel::sources {

namespace fs = std::filesystem;

namespace {

bool valid_utf8(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == 0) return false;
        const int length = byte < 0x80           ? 1
                           : (byte >> 5) == 0x6  ? 2
                           : (byte >> 4) == 0xE  ? 3
                           : (byte >> 3) == 0x1E ? 4
                                                 : 0;
        if (length == 0 || i + length > text.size()) return false;
        for (int k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
        i += length;
    }
    return true;
}

ScriptElementType fdx_type(const std::string& type) {
    if (type == "Scene Heading") return ScriptElementType::Heading;
    if (type == "Action" || type == "General" || type == "Shot") return ScriptElementType::Action;
    if (type == "Character") return ScriptElementType::Character;
    if (type == "Parenthetical") return ScriptElementType::Parenthetical;
    if (type == "Dialogue") return ScriptElementType::Dialogue;
    if (type == "Transition") return ScriptElementType::Transition;
    return ScriptElementType::Other;
}

struct XmlDocumentDeleter {
    void operator()(xmlDoc* document) const { xmlFreeDoc(document); }
};

std::string attribute(xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, BAD_CAST name);
    std::string text = value ? reinterpret_cast<const char*>(value) : "";
    xmlFree(value);
    return text;
}

/// Every <Paragraph> of the <Content>, in order.
void collect_paragraphs(xmlNode* node, Screenplay& screenplay, ScriptScene*& scene) {
    for (xmlNode* child = node; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue;
        if (xmlStrcmp(child->name, BAD_CAST "Paragraph") == 0) {
            std::string text;
            for (xmlNode* run = child->children; run; run = run->next) {
                if (run->type != XML_ELEMENT_NODE || xmlStrcmp(run->name, BAD_CAST "Text") != 0)
                    continue;
                xmlChar* content = xmlNodeGetContent(run);
                if (content) text += reinterpret_cast<const char*>(content);
                xmlFree(content);
            }
            const ScriptElementType type = fdx_type(attribute(child, "Type"));
            const int line = static_cast<int>(xmlGetLineNo(child));
            if (type == ScriptElementType::Heading) {
                ScriptScene& added = screenplay.scenes.emplace_back();
                added.number = static_cast<int>(screenplay.scenes.size());
                added.heading = text;
                added.line = line;
                scene = &added;
            }
            if (scene) scene->elements.push_back({type, text, line});
            continue;
        }
        // Dual dialogue and other containers hold paragraphs too; headers, footers and
        // the title page are not the script.
        if (xmlStrcmp(child->name, BAD_CAST "HeaderAndFooter") == 0 ||
            xmlStrcmp(child->name, BAD_CAST "TitlePage") == 0)
            continue;
        collect_paragraphs(child->children, screenplay, scene);
    }
}

}  // namespace

std::optional<Screenplay> FileScriptReader::read(const fs::path& file,
                                                 Diagnostics& diagnostics) const {
    auto fail = [&](int line, const std::string& message, const std::string& hint) {
        diagnostics.add({file.string(), line, 0}, "script", message, hint);
        return std::nullopt;
    };
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fail(0, "cannot open the script",
                    "check the path (--script FILE or the project's script:)");
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    if (text.empty())
        return fail(0, "the script is empty", "save the script again, or point at another one");
    Screenplay screenplay;
    if (file.extension() == ".fdx") {
        std::unique_ptr<xmlDoc, XmlDocumentDeleter> document(
            xmlReadMemory(text.data(), static_cast<int>(text.size()), file.string().c_str(),
                          nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
        if (!document) {
            const xmlError* error = xmlGetLastError();
            return fail(
                error ? error->line : 0,
                "not a readable Final Draft file: " +
                    std::string(error && error->message ? error->message : "XML does not parse"),
                "save the script again from Final Draft, or export it as Fountain");
        }
        ScriptScene* scene = nullptr;
        collect_paragraphs(xmlDocGetRootElement(document.get()), screenplay, scene);
    } else {
        if (!valid_utf8(text))
            return fail(0, "not a text file (NUL bytes or invalid UTF-8)",
                        "save the script as UTF-8 Fountain text, or give the .fdx");
        screenplay = parse_fountain(text);
    }
    screenplay.file = file;
    if (screenplay.scenes.empty())
        return fail(
            0, "no scene headings found (INT./EXT. ... lines)",
            "is this the screenplay? scene headings start with INT., EXT., EST. or a forced '.'");
    return screenplay;
}

const ScriptReader& script_reader() {
    static const FileScriptReader reader;
    return reader;
}

}  // namespace storyreel::sources
