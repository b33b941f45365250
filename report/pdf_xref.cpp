#include "report/pdf_xref.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <set>

#include "pipeline/block_checksum.h"
#include "pipeline/diagnostics.h"

namespace storyreel::report::pdf {

namespace {

constexpr std::size_t kEntrySize = 20;  ///< "oooooooooo ggggg n\r\n", §7.5.4
constexpr int kMaxSections = 10000;     ///< a /Prev loop ends here

[[noreturn]] void unreadable(const std::filesystem::path& path, const std::string& what) {
    throw BuildError(
        {{path.string(), 0, 0}, "boards PDF", what, "check the output folder and its disk"});
}

/// The unsigned integer at the start of `text` (after spaces), and where it ends.
std::optional<std::uint64_t> leading_number(std::string_view text, std::size_t& at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\r' || text[at] == '\n')) ++at;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + text.size(), value);
    if (error != std::errc()) return std::nullopt;
    at = static_cast<std::size_t>(end - text.data());
    return value;
}

/// The offset after the last "startxref" in the file's last kilobyte (§7.5.5).
std::optional<std::uint64_t> last_startxref(const Source& source) {
    const std::uint64_t tail = std::min<std::uint64_t>(source.size(), 1024);
    const std::string end = source.read(source.size() - tail, tail);
    const std::size_t keyword = end.rfind("startxref");
    if (keyword == std::string::npos || end.find("%%EOF", keyword) == std::string::npos)
        return std::nullopt;
    std::size_t at = keyword + 9;
    return leading_number(end, at);
}

/// One table's entries at `offset` into `xref` (older definitions never replace newer
/// ones), and its trailer's tokens' text.
std::optional<std::string> read_table(const Source& source, std::uint64_t offset,
                                      std::map<int, std::uint64_t>& offsets, std::set<int>& seen) {
    std::uint64_t at = offset;
    std::string head = source.read(at, 64);
    if (head.rfind("xref", 0) != 0) return std::nullopt;
    at += 4;
    for (;;) {
        head = source.read(at, 64);
        std::size_t cursor = 0;
        while (cursor < head.size() && (head[cursor] == '\r' || head[cursor] == '\n')) ++cursor;
        if (head.compare(cursor, 7, "trailer") == 0) return source.read(at + cursor + 7, 4096);
        const auto first = leading_number(head, cursor), count = leading_number(head, cursor);
        if (!first || !count || *first + *count > (1u << 24)) return std::nullopt;
        while (cursor < head.size() && head[cursor] == ' ') ++cursor;
        if (cursor < head.size() && head[cursor] == '\r') ++cursor;
        if (cursor >= head.size() || head[cursor] != '\n') return std::nullopt;
        at += cursor + 1;
        const std::string entries = source.read(at, *count * kEntrySize);
        if (entries.size() != *count * kEntrySize) return std::nullopt;
        for (std::uint64_t i = 0; i < *count; ++i) {
            const std::string_view entry(entries.data() + i * kEntrySize, kEntrySize);
            const int number = static_cast<int>(*first + i);
            std::size_t digits = 0;
            const auto place = leading_number(entry, digits);
            if (!place || (entry[17] != 'n' && entry[17] != 'f')) return std::nullopt;
            if (!seen.insert(number).second) continue;  // a later table defined it
            if (entry[17] == 'n') offsets[number] = *place;
        }
        at += *count * kEntrySize;
    }
}

}  // namespace

std::string MemorySource::read(std::uint64_t offset, std::size_t length) const {
    if (offset >= bytes_.size()) return {};
    return std::string(bytes_.substr(static_cast<std::size_t>(offset), length));
}

FileSource::FileSource(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) unreadable(path, std::string("cannot open: ") + std::strerror(errno));
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) {
        ::close(fd_);
        unreadable(path, std::string("cannot read: ") + std::strerror(errno));
    }
    size_ = static_cast<std::uint64_t>(end);
}

FileSource::~FileSource() { ::close(fd_); }

std::string FileSource::read(std::uint64_t offset, std::size_t length) const {
    if (offset >= size_) return {};
    std::string bytes(static_cast<std::size_t>(std::min<std::uint64_t>(length, size_ - offset)),
                      '\0');
    const int error =
        read_exactly(fd_, reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), offset);
    if (error != 0) unreadable(path_, std::string("cannot read: ") + std::strerror(error));
    return bytes;
}

std::optional<CrossReference> read_cross_reference(const Source& source, std::string& why_not) {
    CrossReference xref;
    const auto start = last_startxref(source);
    if (!start) {
        why_not = "no startxref and %%EOF at its end";
        return std::nullopt;
    }
    xref.startxref = *start;
    std::set<int> seen;
    std::optional<std::uint64_t> next = start;
    for (int section = 0; next; ++section) {
        const auto trailer = section < kMaxSections && *next < source.size()
                                 ? read_table(source, *next, xref.offsets, seen)
                                 : std::nullopt;
        const auto tokens = trailer ? tokenize(*trailer) : std::nullopt;
        if (!tokens) {
            why_not =
                "no cross-reference table this program writes at byte " + std::to_string(*next);
            return std::nullopt;
        }
        if (section == 0) {
            const auto size = dictionary_integer(*tokens, "/Size");
            const auto root = dictionary_reference(*tokens, "/Root");
            if (!size || !root) {
                why_not = "its trailer has no /Size or /Root";
                return std::nullopt;
            }
            xref.size = static_cast<int>(*size);
            xref.root = *root;
            xref.info = dictionary_reference(*tokens, "/Info").value_or(Reference{});
        }
        const auto previous = dictionary_integer(*tokens, "/Prev");
        next = previous && *previous >= 0 ? std::optional<std::uint64_t>(*previous) : std::nullopt;
    }
    return xref;
}

std::optional<std::string> read_object(const Source& source, const CrossReference& xref,
                                       int number) {
    const auto found = xref.offsets.find(number);
    if (found == xref.offsets.end()) return std::nullopt;
    const std::string header = std::to_string(number) + " 0 obj";
    for (std::size_t length = 4096; length <= (std::size_t{1} << 24); length *= 4) {
        const std::string text = source.read(found->second, length);
        if (text.rfind(header, 0) != 0) return std::nullopt;
        const std::size_t end = std::min(text.find("endobj"), text.find("stream"));
        if (end != std::string::npos) return text.substr(header.size(), end - header.size());
        if (text.size() < length) return std::nullopt;  // the file ended
    }
    return std::nullopt;
}

std::optional<PageTree> read_page_tree(const Source& source, const CrossReference& xref,
                                       std::string& why_not) {
    const auto catalog_text = read_object(source, xref, xref.root.number);
    const auto catalog = catalog_text ? tokenize(*catalog_text) : std::nullopt;
    const auto pages = catalog ? dictionary_reference(*catalog, "/Pages") : std::nullopt;
    if (!pages) {
        why_not = "no catalog with /Pages";
        return std::nullopt;
    }
    const auto tree_text = read_object(source, xref, pages->number);
    const auto tree = tree_text ? tokenize(*tree_text) : std::nullopt;
    const auto kids = tree ? dictionary_reference_array(*tree, "/Kids") : std::nullopt;
    const auto count = tree ? dictionary_integer(*tree, "/Count") : std::nullopt;
    if (!kids || !count || *count != static_cast<long long>(kids->size()) ||
        dictionary_name(*tree, "/Type") != "/Pages") {
        why_not = "its page tree is not one /Pages object listing every page";
        return std::nullopt;
    }
    PageTree result{pages->number, {}};
    for (const auto& kid : *kids) {
        if (!xref.offsets.count(kid.number) || kid.generation != 0) {
            why_not = "a page of its page tree is missing";
            return std::nullopt;
        }
        result.kids.push_back(kid.number);
    }
    return result;
}

}  // namespace storyreel::report::pdf
