#pragma once
// Where the objects of a PDF are: its cross-reference tables (ISO 32000-1 §7.5.4; Cairo
// 1.16, the version Debian 12 has, writes classic tables, never cross-reference streams),
// followed back through the /Prev of each incremental update (§7.5.6), its trailer, and
// its page tree. Read from a file without reading the pages (a feature's boards are tens
// of megabytes; its tables a few hundred kilobytes), or from bytes in memory.
//
// Only what this program writes is understood; anything else is "not ours" (`why_not`
// says what), and the caller writes the file whole.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/pdf_syntax.h"

namespace storyreel::report::pdf {

/// Random access to a PDF's bytes.
class Source {
  public:
    virtual ~Source() = default;
    virtual std::uint64_t size() const = 0;
    /// Up to `length` bytes at `offset` (fewer at the end). Throws BuildError when a file
    /// cannot be read.
    virtual std::string read(std::uint64_t offset, std::size_t length) const = 0;
};

/// A PDF in memory (not owned).
class MemorySource : public Source {
  public:
    explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
    std::uint64_t size() const override { return bytes_.size(); }
    std::string read(std::uint64_t offset, std::size_t length) const override;

  private:
    std::string_view bytes_;
};

/// A PDF file, open for reading.
class FileSource : public Source {
  public:
    /// Throws BuildError naming the file when it cannot be opened.
    explicit FileSource(const std::filesystem::path& path);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    std::uint64_t size() const override { return size_; }
    std::string read(std::uint64_t offset, std::size_t length) const override;

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

/// A file's objects in use, by number (the latest definition), and its last trailer.
struct CrossReference {
    std::map<int, std::uint64_t> offsets;
    int size = 0;                 ///< the trailer's /Size: one more than the highest object number
    Reference root, info;         ///< info.number 0 when there is none
    std::uint64_t startxref = 0;  ///< where the last table is
};

/// Every cross-reference table of `source`, the last first. Nothing when it has none this
/// program can read.
std::optional<CrossReference> read_cross_reference(const Source& source, std::string& why_not);

/// Object `number`'s text after its "N G obj" header, up to its stream or "endobj".
std::optional<std::string> read_object(const Source& source, const CrossReference& xref,
                                       int number);

/// A flat page tree, as Cairo writes it: one /Pages object whose /Kids are the pages.
struct PageTree {
    int pages = 0;          ///< the /Pages object's number
    std::vector<int> kids;  ///< the page objects, in order
};
std::optional<PageTree> read_page_tree(const Source& source, const CrossReference& xref,
                                       std::string& why_not);

}  // namespace storyreel::report::pdf
