#include "farm/opencue_spec.h"

#include <libxml/xmlwriter.h>
#include <pwd.h>
#include <unistd.h>

#include <memory>
#include <stdexcept>

#include "pipeline/atomic_file.h"
#include "pipeline/exit_codes.h"

namespace storyreel::farm {

namespace fs = std::filesystem;

namespace {

struct BufferFree {
    void operator()(xmlBuffer* buffer) const { xmlBufferFree(buffer); }
};
struct WriterFree {
    void operator()(xmlTextWriter* writer) const { xmlFreeTextWriter(writer); }
};

/// OpenCue names: at least 3 characters of [A-Za-z0-9_.-] (NMTOKEN in the DTD).
std::string cue_name(const std::string& text) {
    std::string name;
    for (char c : text)
        name += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
    while (name.size() < 3) name += '_';
    return name;
}

std::string current_user() {
    if (const passwd* entry = ::getpwuid(::getuid())) return entry->pw_name;
    return "storyreel";
}

/// Thin checked wrapper: every libxml2 writer call returns < 0 on failure.
class SpecWriter {
  public:
    SpecWriter() : buffer_(xmlBufferCreate()) {
        if (!buffer_) throw std::runtime_error("libxml2: cannot allocate a buffer");
        writer_.reset(xmlNewTextWriterMemory(buffer_.get(), 0));
        if (!writer_) throw std::runtime_error("libxml2: cannot create a writer");
        xmlTextWriterSetIndent(writer_.get(), 1);
        xmlTextWriterSetIndentString(writer_.get(), BAD_CAST "  ");
    }
    void check(int result, const char* what) {
        if (result < 0) throw std::runtime_error(std::string("libxml2: cannot write ") + what);
    }
    void begin(const char* element) {
        check(xmlTextWriterStartElement(writer_.get(), BAD_CAST element), element);
    }
    void end() { check(xmlTextWriterEndElement(writer_.get()), "end of element"); }
    void attribute(const char* name, const std::string& value) {
        check(xmlTextWriterWriteAttribute(writer_.get(), BAD_CAST name, BAD_CAST value.c_str()),
              name);
    }
    void text_element(const char* element, const std::string& value) {
        check(xmlTextWriterWriteElement(writer_.get(), BAD_CAST element, BAD_CAST value.c_str()),
              element);
    }
    xmlTextWriter* get() { return writer_.get(); }
    std::string finish() {
        check(xmlTextWriterEndDocument(writer_.get()), "document end");
        writer_.reset();
        return std::string(reinterpret_cast<const char*>(xmlBufferContent(buffer_.get())),
                           static_cast<std::size_t>(xmlBufferLength(buffer_.get())));
    }

  private:
    std::unique_ptr<xmlBuffer, BufferFree> buffer_;
    std::unique_ptr<xmlTextWriter, WriterFree> writer_;
};

/// XML 1.0 cannot carry C0 control characters other than tab, newline and carriage return,
/// nor bytes that are not UTF-8; a path holding one cannot go into a spec.
void check_xml_command(const std::vector<std::string>& args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string arg = with_shard_index(args[i], "1");
        bool representable = is_valid_utf8(arg);
        for (unsigned char c : arg)
            representable = representable && (c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
        if (!representable)
            throw FarmInputError(
                option_of_argument(args, i) + " '" + arg +
                "' holds a control character or bytes that are not UTF-8, which an "
                "OpenCue job spec (XML) cannot carry; rename it, or use --engine slurm or local");
    }
}

/// The layer's command for the /bin/sh that RQD runs it with: every argument single-quoted
/// (cuebot's own #TOKEN#s broken up in them), the shard index as cuebot's #IFRAME#.
std::string cue_command(const std::vector<std::string>& args) {
    check_xml_command(args);
    return shell_command(args, "#IFRAME#", QuoteStyle::opencue);
}

void write_layer(SpecWriter& xml, const std::string& name, const std::string& command,
                 const std::string& range, int cores) {
    xml.begin("layer");
    xml.attribute("name", name);
    xml.attribute("type", "Render");
    xml.text_element("cmd", command);
    xml.text_element("range", range);
    xml.text_element("chunk", "1");
    xml.text_element("cores", std::to_string(cores));
    xml.begin("services");
    xml.text_element("service", "shell");
    xml.end();
    xml.end();
}

}  // namespace

fs::path write_opencue_spec(const FarmJob& job) {
    const std::string job_name = cue_name(job.name);
    SpecWriter xml;
    xml.check(xmlTextWriterStartDocument(xml.get(), "1.0", "UTF-8", nullptr), "document");
    xml.check(xmlTextWriterWriteDTD(
                  xml.get(), BAD_CAST "spec", BAD_CAST "SPI Cue  Specification Language",
                  BAD_CAST "http://localhost:8080/spcue/dtd/cjsl-1.15.dtd", nullptr),
              "DOCTYPE");
    xml.begin("spec");
    xml.text_element("show", cue_name(job.show));
    xml.text_element("shot", "animatic");
    xml.text_element("user", current_user());
    xml.text_element("uid", std::to_string(::getuid()));
    xml.begin("job");
    xml.attribute("name", job_name);
    xml.text_element("paused", "False");
    xml.text_element("maxretries", std::to_string(job.options.max_retries));
    xml.begin("layers");
    write_layer(xml, "shards", cue_command(job.shard_args),
                "1-" + std::to_string(job.shards.size()), job.options.cpus_per_task);
    write_layer(xml, "assemble", cue_command(job.assemble_args), "1-1", job.options.cpus_per_task);
    xml.end();  // layers
    xml.end();  // job
    xml.begin("depends");
    xml.begin("depend");
    xml.attribute("type", "LAYER_ON_LAYER");
    xml.attribute("anyframe", "False");
    xml.text_element("depjob", job_name);
    xml.text_element("deplayer", "assemble");
    xml.text_element("onjob", job_name);
    xml.text_element("onlayer", "shards");
    xml.end();
    xml.end();
    xml.end();  // spec
    const fs::path file = job.spool / "opencue-job.xml";
    write_file_atomically(file, xml.finish());
    return file;
}

int submit_opencue_job(const FarmJob& job, std::ostream& out) {
    const fs::path spec = write_opencue_spec(job);
    out << "job " << job.name << ": OpenCue spec " << spec.string() << " (" << job.shards.size()
        << " shard frame(s) + assemble)\n"
        << "submit it to cuebot with:\n  python3 -c 'import sys, opencue; "
           "print(opencue.api.launchSpec(open(sys.argv[1]).read()))' "
        << shell_quote(spec.string()) << "\n";
    return kExitOk;
}

}  // namespace storyreel::farm
