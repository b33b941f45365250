#pragma once
// The review page's inline style sheet and script, kept apart from the markup.

namespace storyreel::report {

/// CSS: readable on a laptop, cards in a grid, and a print layout without the movie.
extern const char* const kReviewPageStyle;

/// The page's script: a click on a timeline panel scrolls its card into view; while the
/// movie plays, the card of the current frame is highlighted. `?selftest` runs the checks
/// the browser tests read back (every thumbnail loaded, a timeline click scrolled its card
/// into view) and writes them as JSON into `#selftest`.
extern const char* const kReviewPageScript;

}  // namespace storyreel::report
