#pragma once
// The one way project text (panel names, dialogue, notes, file names) enters the review
// page: every character HTML gives meaning to is replaced by its entity, so a board named
// `<script>` shows as those eight characters and never runs.

#include <string>
#include <string_view>

namespace storyreel::report {

/// `text` with & < > " ' replaced by entities; safe both between tags and inside a quoted
/// attribute value. Bytes outside ASCII (UTF-8 dialogue) pass through unchanged.
std::string html_escape(std::string_view text);

}  // namespace storyreel::report
