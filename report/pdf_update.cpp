#include "report/pdf_update.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <set>

namespace storyreel::report::pdf {

namespace {

/// A PDF's cross-reference and page tree, or nothing with `why_not` prefixed by `which`.
struct Structure {
    CrossReference xref;
    PageTree tree;
};

std::optional<Structure> read_structure(const Source& source, const std::string& which,
                                        std::string& why_not) {
    std::string reason;
    auto xref = read_cross_reference(source, reason);
    auto tree = xref ? read_page_tree(source, *xref, reason) : std::nullopt;
    if (!tree) {
        why_not = which + ": " + reason;
        return std::nullopt;
    }
    return Structure{std::move(*xref), std::move(*tree)};
}

/// An object of the new pages' PDF: its bytes after "N 0 obj", to the next object.
struct Piece {
    int number = 0;
    std::string_view body;
};

/// The new pages' objects but their catalog, document information and page tree, in the
/// order they lie in the file.
std::optional<std::vector<Piece>> pieces_to_carry(std::string_view bytes, const Structure& pages,
                                                  std::string& why_not) {
    std::vector<std::pair<std::uint64_t, int>> by_offset;
    for (const auto& [number, offset] : pages.xref.offsets) by_offset.emplace_back(offset, number);
    std::sort(by_offset.begin(), by_offset.end());
    const std::set<int> left_out = {pages.xref.root.number, pages.xref.info.number,
                                    pages.tree.pages};
    std::vector<Piece> pieces;
    for (std::size_t i = 0; i < by_offset.size(); ++i) {
        const auto [offset, number] = by_offset[i];
        const std::uint64_t end =
            i + 1 < by_offset.size() ? by_offset[i + 1].first : pages.xref.startxref;
        const std::string header = std::to_string(number) + " 0 obj";
        if (end > bytes.size() || end < offset || bytes.substr(offset, header.size()) != header) {
            why_not = "the new pages: object " + std::to_string(number) +
                      " is not where its "
                      "cross-reference table says";
            return std::nullopt;
        }
        if (left_out.count(number)) continue;
        pieces.push_back(
            {number, bytes.substr(offset + header.size(), end - offset - header.size())});
    }
    return pieces;
}

std::string pages_object(const std::vector<int>& kids) {
    std::string text = "<< /Type /Pages\n   /Kids [";
    for (const int kid : kids) text += " " + std::to_string(kid) + " 0 R";
    return text + " ]\n   /Count " + std::to_string(kids.size()) + "\n>>\nendobj\n";
}

/// A cross-reference table of `entries` (number -> byte offset), in runs of consecutive
/// numbers, and the trailer pointing back at `previous`.
std::string table_and_trailer(const std::map<int, std::uint64_t>& entries,
                              const CrossReference& previous, int size, std::uint64_t at) {
    std::string text = "xref\n";
    for (auto run = entries.begin(); run != entries.end();) {
        auto end = run;
        int next = run->first;
        while (end != entries.end() && end->first == next) ++end, ++next;
        text += std::to_string(run->first) + " " + std::to_string(next - run->first) + "\n";
        for (; run != end; ++run) {
            char entry[32];
            std::snprintf(entry, sizeof entry, "%010" PRIu64 " 00000 n \n", run->second);
            text += entry;
        }
    }
    text += "trailer\n<< /Size " + std::to_string(size) + "\n   /Root " +
            std::to_string(previous.root.number) + " 0 R\n";
    if (previous.info.number != 0)
        text += "   /Info " + std::to_string(previous.info.number) + " 0 R\n";
    text += "   /Prev " + std::to_string(previous.startxref) + "\n>>\nstartxref\n" +
            std::to_string(at) + "\n%%EOF\n";
    return text;
}

}  // namespace

std::optional<std::string> page_update(const Source& previous, std::string_view pages,
                                       const std::vector<int>& replaced, std::string& why_not) {
    const MemorySource incoming_source(pages);
    const auto old = read_structure(previous, "the previous file", why_not);
    const auto incoming =
        old ? read_structure(incoming_source, "the new pages", why_not) : std::nullopt;
    if (!incoming) return std::nullopt;
    if (incoming->tree.kids.size() != replaced.size() ||
        std::set<int>(replaced.begin(), replaced.end()).size() != replaced.size() ||
        std::any_of(replaced.begin(), replaced.end(), [&](int page) {
            return page < 0 || page >= static_cast<int>(old->tree.kids.size());
        })) {
        why_not = "the pages to replace do not match the new pages";
        return std::nullopt;
    }
    const auto pieces = pieces_to_carry(pages, *incoming, why_not);
    if (!pieces) return std::nullopt;
    std::map<int, int> numbers;  // the new pages' object -> its number in the updated file
    int next = old->xref.size;
    for (const auto& piece : *pieces) numbers[piece.number] = next++;
    const auto renumber = [&](int number) -> std::optional<int> {
        if (number == incoming->tree.pages) return old->tree.pages;  // the /Parent of a page
        const auto found = numbers.find(number);
        return found == numbers.end() ? std::nullopt : std::optional<int>(found->second);
    };
    const std::uint64_t base = previous.size();
    const std::string last = previous.read(base - std::min<std::uint64_t>(base, 1), 1);
    std::string out = last == "\n" || last == "\r" ? "" : "\n";
    std::map<int, std::uint64_t> entries;
    for (const auto& piece : *pieces) {
        const auto body = renumber_references(piece.body, renumber);
        if (!body) {
            why_not = "the new pages: object " + std::to_string(piece.number) +
                      " refers to an object outside its pages";
            return std::nullopt;
        }
        entries[numbers[piece.number]] = base + out.size();
        out += std::to_string(numbers[piece.number]) + " 0 obj" + *body;
    }
    std::vector<int> kids = old->tree.kids;
    for (std::size_t i = 0; i < replaced.size(); ++i)
        kids[static_cast<std::size_t>(replaced[i])] = numbers.at(incoming->tree.kids[i]);
    entries[old->tree.pages] = base + out.size();
    out += std::to_string(old->tree.pages) + " 0 obj\n" + pages_object(kids);
    out += table_and_trailer(entries, old->xref, next, base + out.size());
    return out;
}

}  // namespace storyreel::report::pdf
