#pragma once
// The review page of one output unit: a single self-contained HTML file (styles and a few
// lines of plain JavaScript inline, nothing fetched from the network) that opens from a
// file:// URL beside its `thumbs/` folder: contact sheet, timeline strip, findings and
// breakdown linked to the cards, provenance, and the review movie when there is one.

#include <string>

#include "report/review_data.h"

namespace storyreel::report {

/// The whole page. Every text from the project goes through html_escape().
std::string review_page_html(const ReviewUnit& unit, const BuildFacts& facts);

}  // namespace storyreel::report
