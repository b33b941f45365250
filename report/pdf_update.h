#pragma once
// Replacing some pages of a PDF this program wrote by appending to it: an incremental
// update (ISO 32000-1 §7.5.6). The new pages come as a small PDF Cairo wrote in memory
// (the same layout, fonts subset for those pages only). Its objects (pages, their contents,
// boards, fonts) are appended numbered after the previous file's, then the page tree again
// with those pages swapped in, a cross-reference table for what was appended, and a
// trailer whose /Prev points at the previous table. Readers take the last definition of
// every object, so the file shows the new pages; the replaced ones stay in it unused (dead
// bytes) until the file is next written whole.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/pdf_xref.h"

namespace storyreel::report::pdf {

/// The bytes to append to `previous` so that its page `replaced[i]` (0-based) becomes the
/// i-th page of `pages`. Nothing, and `why_not` says why, when either is not as this
/// program writes it (then write the file whole). Throws BuildError when `previous` cannot
/// be read.
std::optional<std::string> page_update(const Source& previous, std::string_view pages,
                                       const std::vector<int>& replaced, std::string& why_not);

}  // namespace storyreel::report::pdf
