// The checks' pure text functions, table by table: spoken words (numbers, hyphens,
// Cyrillic, CJK), subtitle lengths, sluglines, page length in eighths, names in caps,
// and the Fountain reader they work on.

#include <gtest/gtest.h>

#include "checks/script_text.h"
#include "sources/script_reader.h"

namespace storyreel::checks {
namespace {

TEST(SpokenWordCount, CountsWordsTheWayTheyAreSaid) {
    const struct {
        const char* text;
        int words;
    } cases[] = {
        {"", 0},
        {"   ", 0},
        {"Hello!", 1},
        {"Hello, world.", 2},
        {"I don't know.", 3},
        {"mother-in-law", 3},         // three words are said
        {"Wait -- no. Wait—no!", 4},  // dashes only separate
        {"7", 1},
        {"42", 1},
        {"1984", 2},
        {"100000", 3},
        {"3.5 metres", 4},  // three point five metres
        {"10,000 men", 4},  // five digits: 3, as "100000"
        {"It's 3rd on R2D2's list", 5},
        {"(beat) Go. [laughs] Now.", 2},  // directions are not said
        {"Привет, как дела?", 3},         // Cyrillic
        {"Ça va très bien", 4},           // Latin with accents
        {"你好", 2},                      // 2 CJK characters: 2 words (rounded up)
        {"我今天很高兴", 4},              // 6 characters: 4 words
        {"こんにちは世界", 5},            // 7 characters: ceil(14/3) = 5
        {"안녕하세요 여러분", 2},         // Hangul is spaced: words
        {"OK 你好 bye", 4},
    };
    for (const auto& item : cases) EXPECT_EQ(spoken_word_count(item.text), item.words) << item.text;
}

TEST(SubtitleLength, CountsCodePointsNotBytesNorLineBreaks) {
    EXPECT_EQ(subtitle_length("Hello"), 5u);
    EXPECT_EQ(subtitle_length("Привет"), 6u);
    EXPECT_EQ(subtitle_length("你好"), 2u);
    EXPECT_EQ(subtitle_length("ab\ncd"), 4u);
}

TEST(Slugline, ReadsIntExtLocationAndTimeOfDay) {
    const struct {
        const char* heading;
        const char* int_ext;
        const char* location;
        const char* time;
    } cases[] = {
        {"INT. HOUSE - KITCHEN - NIGHT", "INT", "HOUSE - KITCHEN", "NIGHT"},
        {"EXT. A PLACE - DAY #1-ZX3ZM#", "EXT", "A PLACE", "DAY"},
        {"int. car - dusk", "INT", "car", "DUSK"},
        {"INT./EXT. CAR - MOVING - DAY", "INT/EXT", "CAR - MOVING", "DAY"},
        {"I/E BARN - DAWN", "INT/EXT", "BARN", "DAWN"},
        {"EST. CITY SKYLINE - MAGIC HOUR", "EST", "CITY SKYLINE", "MAGIC HOUR"},
        {"EXT STREET -- CONTINUOUS", "EXT", "STREET", "CONTINUOUS"},
        {"EXT. FIELD", "EXT", "FIELD", ""},
        {".FLASHBACK - THE WAR", "", "FLASHBACK - THE WAR", ""},
        {"INT. OFFICE - LATER", "INT", "OFFICE", "LATER"},
        {"INTERIOR DESIGN SHOW", "", "INTERIOR DESIGN SHOW", ""},
    };
    for (const auto& item : cases) {
        const Slugline slug = parse_slugline(item.heading);
        EXPECT_EQ(slug.int_ext, item.int_ext) << item.heading;
        EXPECT_EQ(slug.location, item.location) << item.heading;
        EXPECT_EQ(slug.time_of_day, item.time) << item.heading;
    }
}

ScriptScene scene_of(std::vector<ScriptElement> elements) {
    ScriptScene scene;
    scene.elements = std::move(elements);
    return scene;
}

TEST(ScriptPages, MeasuresScenesInEighthsAt55LinesAPage) {
    using T = ScriptElementType;
    const std::string sixty(59, 'x');
    // heading (3) + one action line (2) = 5 lines: 1/8 (6.875 lines an eighth).
    EXPECT_EQ(scene_lines(scene_of({{T::Heading, "INT. A - DAY"}, {T::Action, "He sits."}})), 5);
    EXPECT_EQ(scene_eighths(scene_of({{T::Heading, "INT. A - DAY"}, {T::Action, "He sits."}})), 1);
    // Dialogue wraps at 35: 70 characters of words are 2 lines; cue 1 + 2 + blank 1.
    const std::string speech =
        "one two three four five six seven eight nine ten eleven twelve thirt";
    EXPECT_EQ(wrapped_lines(speech, 35), 2);
    EXPECT_EQ(scene_lines(scene_of({{T::Character, "BOB"}, {T::Dialogue, speech}})), 4);
    // A parenthetical inside a block adds no blank line; the block's end does.
    EXPECT_EQ(scene_lines(scene_of(
                  {{T::Character, "BOB"}, {T::Parenthetical, "(quietly)"}, {T::Dialogue, "Hi."}})),
              4);
    // 55 lines make a page: 8/8; 56 lines 1 1/8.
    std::vector<ScriptElement> page{{T::Heading, "INT. A - DAY"}};    // 3 lines
    for (int i = 0; i < 26; ++i) page.push_back({T::Action, sixty});  // 26 x 2 = 52
    EXPECT_EQ(scene_lines(scene_of(page)), 55);
    EXPECT_EQ(scene_eighths(scene_of(page)), 8);
    page.push_back({T::Character, "BOB"});
    EXPECT_EQ(scene_eighths(scene_of(page)), 9);
    EXPECT_EQ(eighths_text(9), "1 1/8");
    EXPECT_EQ(eighths_text(3), "3/8");
    EXPECT_EQ(eighths_text(16), "2");
    EXPECT_EQ(wrapped_lines(std::string(130, 'x'), 60), 3);  // a word longer than a line
}

TEST(CapitalisedNames, FindsCharactersInActionButNotScreenplayTerms) {
    EXPECT_EQ(capitalised_names("JOHN enters. MARY follows him."),
              (std::vector<std::string>{"JOHN", "MARY"}));
    EXPECT_EQ(capitalised_names("The OLD MAN waits. CUT TO black."),
              (std::vector<std::string>{"OLD MAN"}));
    EXPECT_EQ(capitalised_names("A dog barks."), std::vector<std::string>{});
    EXPECT_EQ(character_name("JOHN (V.O.)"), "JOHN");
    EXPECT_EQ(character_name("@McCLANE"), "McCLANE");
    EXPECT_EQ(character_name("BRICK ^"), "BRICK");
}

TEST(FountainScript, ReadsScenesCuesDialogueAndTransitions) {
    const char* text =
        "Title: Test\nAuthor: Me\n\n"
        "FADE IN:\n\n"
        "EXT. A PLACE - DAY #1-ZX3ZM#\n\n"
        "This is a place. JOHN waits [[a note]].\n\n"
        "PERSON A\n(quietly)\nHello!\nHow are you?\n\n"
        "SMASH CUT TO:\n\n"
        ".INSIDE THE CAR\n\n"
        "@McCLANE\nYippee.\n\n"
        "> THE END <\n";
    const Screenplay script = sources::parse_fountain(text);
    ASSERT_EQ(script.scenes.size(), 2u);
    const ScriptScene& first = script.scenes[0];
    EXPECT_EQ(first.heading, "EXT. A PLACE - DAY");
    EXPECT_EQ(first.id, "1-ZX3ZM");
    EXPECT_EQ(first.line, 6);
    ASSERT_EQ(first.elements.size(), 6u);
    EXPECT_EQ(first.elements[1].type, ScriptElementType::Action);
    EXPECT_EQ(first.elements[1].text, "This is a place. JOHN waits .");
    EXPECT_EQ(first.elements[2].type, ScriptElementType::Character);
    EXPECT_EQ(first.elements[3].type, ScriptElementType::Parenthetical);
    EXPECT_EQ(first.elements[4].type, ScriptElementType::Dialogue);
    EXPECT_EQ(first.elements[4].text, "Hello!\nHow are you?");
    EXPECT_EQ(first.elements[5].type, ScriptElementType::Transition);
    const ScriptScene& second = script.scenes[1];
    EXPECT_EQ(second.heading, "INSIDE THE CAR");
    EXPECT_EQ(second.number, 2);
    EXPECT_EQ(second.elements[1].type, ScriptElementType::Character);
    EXPECT_EQ(character_name(second.elements[1].text), "McCLANE");
    EXPECT_EQ(second.elements.back().type, ScriptElementType::Action);  // centred text
}

}  // namespace
}  // namespace storyreel::checks
