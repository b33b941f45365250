#pragma once
// Pure text functions the checks are built on: counting spoken words, reading sluglines,
// measuring a scene's page length. Each is table-tested (tests/unit/checks/checks_text_test.cpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/screenplay.h"

namespace storyreel::checks {

/// Words a line takes to say, counted as a script supervisor times dialogue:
/// - words are runs of letters, digits and apostrophes between spaces and punctuation, in
///   any alphabet (Latin, Cyrillic, Greek, Hangul...);
/// - a hyphenated compound counts each part ("mother-in-law" is 3: three words are said);
///   a dash between words ("wait -- no", "wait—no") only separates them;
/// - a number counts one word per two digits, rounded up ("7" 1, "42" 1, "1984" 2,
///   "100000" 3); "3.5" and "10,000" count their digit groups the same way (plus one for
///   the point);
/// - Chinese and Japanese characters (Han, Hiragana, Katakana) have no spaces between
///   words: every 3 characters count 2 words, rounded up (words average 1.5 characters);
/// - parenthesised directions "(beat)" and "[laughs]" are not said and do not count.
int spoken_word_count(std::string_view text);

/// Characters a subtitle shows: Unicode code points, spaces included, line breaks not.
std::size_t subtitle_length(std::string_view text);

/// A scene heading, read.
struct Slugline {
    std::string int_ext;      ///< "INT", "EXT", "INT/EXT", "EST" or "" (not a standard heading)
    std::string location;     ///< "HOUSE - KITCHEN"
    std::string time_of_day;  ///< "DAY", "NIGHT", "DAWN", "DUSK", "MORNING", "CONTINUOUS"... or ""
};

/// Reads "INT. HOUSE - KITCHEN - NIGHT" (also "EXT", "EST", "INT./EXT.", "I/E", without
/// the period, forced ".HEADING", a trailing "#12#" scene number). The time of day is the
/// last " - " part when it is one of DAY, NIGHT, DAWN, DUSK, MORNING, AFTERNOON, EVENING,
/// SUNRISE, SUNSET, CONTINUOUS, LATER, MOMENTS LATER, SAME TIME, MAGIC HOUR (any case).
Slugline parse_slugline(std::string_view heading);

/// Standard screenplay layout (Courier 12, 6 lines an inch) used to measure page length:
/// 55 lines a page; action wraps at 60 characters, dialogue at 35, parentheticals at 25;
/// a heading, an action paragraph, a dialogue block and a transition are followed by a
/// blank line, a heading is also preceded by one.
struct PageLayout {
    int lines_per_page = 55;
    int action_width = 60;
    int dialogue_width = 35;
    int parenthetical_width = 25;
};

/// Lines a scene takes on the page.
int scene_lines(const ScriptScene& scene, const PageLayout& layout = {});
/// Its length in eighths of a page (how a breakdown states it), rounded up, at least 1/8.
int scene_eighths(const ScriptScene& scene, const PageLayout& layout = {});
/// "1 3/8", "4/8", "2": eighths as a breakdown sheet writes them.
std::string eighths_text(int eighths);

/// Lines a paragraph wraps to at `width` characters (words kept whole), at least 1.
int wrapped_lines(std::string_view text, int width);

/// Names in CAPS in action text ("JOHN enters, MARY follows"): words of two letters or
/// more, all capitals, not a screenplay term (CUT, INT, V.O., CONT'D...). Multi-word
/// names ("OLD MAN") are kept together.
std::vector<std::string> capitalised_names(std::string_view text);

/// A character cue without its extensions: "JOHN (V.O.)" -> "JOHN", "@McCLANE" -> "McCLANE".
std::string character_name(std::string_view cue);

/// Code points of UTF-8 text (invalid bytes count one each).
std::vector<char32_t> code_points(std::string_view text);

}  // namespace storyreel::checks
