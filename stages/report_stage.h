#pragma once
// report: an output stage writing, per output unit, the review page
// `OUT/<unit>_report/index.html` with its thumbnails in `thumbs/` (report/review_page.h).
//
// Thumbnails are made from the conformed boards as they flow (never read again), cached by
// content in the shot cache like the shot segments, and named by that content key, so a
// rebuild with one redrawn board reads that board and writes one new thumbnail. The page
// itself is written once the build report holds the production checks.

#include "pipeline/stage_registry.h"

namespace storyreel {

StageType report_stage_type();

}  // namespace storyreel
