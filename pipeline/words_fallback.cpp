#include "pipeline/words_fallback.h"

#include <algorithm>
#include <limits>

namespace storyreel {

namespace {

bool found(const LineAlignment& line) { return line.status != LineStatus::NotFound; }

/// An onset this close before a found line's first word is that line's own (its first sound
/// is softer than the word's start the recogniser gives).
constexpr double kOwnOnset = 0.25;

}  // namespace

void place_unaligned_lines(std::vector<LineAlignment>& lines,
                           const std::vector<SpeechSpan>& speech) {
    std::size_t run = 0;
    while (run < lines.size()) {
        if (found(lines[run])) {
            ++run;
            continue;
        }
        std::size_t end = run;
        while (end < lines.size() && !found(lines[end])) ++end;
        // Onsets after the previous found line ends and before the next one starts.
        const double after =
            run > 0 ? lines[run - 1].end : -std::numeric_limits<double>::infinity();
        const double before = end < lines.size() ? lines[end].start - kOwnOnset
                                                 : std::numeric_limits<double>::infinity();
        std::vector<const SpeechSpan*> between;
        for (const auto& span : speech)
            if (span.start > after && span.start < before) between.push_back(&span);
        if (between.size() == end - run) {
            for (std::size_t k = run; k < end; ++k) {
                const SpeechSpan& span = *between[k - run];
                lines[k].status = LineStatus::Approximate;
                lines[k].start = span.start;
                lines[k].end = std::min(span.end, before + kOwnOnset);
                lines[k].confidence = 0;
                lines[k].words.clear();
            }
        }
        run = end;
    }
}

std::vector<SpeechSpan> unmatched_speech(const std::vector<LineAlignment>& lines,
                                         const std::vector<SpeechSpan>& speech,
                                         double min_seconds) {
    std::vector<SpeechSpan> unmatched;
    for (const auto& span : speech) {
        if (span.end - span.start < min_seconds) continue;
        const bool heard = std::any_of(lines.begin(), lines.end(), [&](const LineAlignment& line) {
            return found(line) && std::min(line.end, span.end) > std::max(line.start, span.start);
        });
        if (!heard) unmatched.push_back(span);
    }
    return unmatched;
}

}  // namespace storyreel
