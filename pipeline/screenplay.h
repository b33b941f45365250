#pragma once
// A screenplay as the production checks read it: scenes in script order, each a list of
// elements (heading, action, character cue, dialogue, ...) with their lines in the file.
//
// Plain data. sources/ reads Fountain and Final Draft files into it (script_reader.h);
// checks/ measures page length, finds characters and production flags.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/diagnostics.h"

namespace storyreel {

/// What a paragraph of a screenplay is (Fountain and Final Draft agree on these).
enum class ScriptElementType {
    Heading,
    Action,
    Character,
    Parenthetical,
    Dialogue,
    Transition,
    Other
};

struct ScriptElement {
    ScriptElementType type = ScriptElementType::Action;
    std::string text;  ///< the paragraph's text, lines joined with '\n'
    int line = 0;      ///< 1-based line in the file (0 when not known: FDX)
};

struct ScriptScene {
    int number = 0;       ///< place in the script, from 1 (as Storyboarder numbers them)
    std::string id;       ///< Fountain `#id#` marker (Storyboarder's scene id); may be empty
    std::string heading;  ///< the slugline as written, without the `#id#` marker
    std::vector<ScriptElement> elements;  ///< the heading first
    int line = 0;                         ///< the heading's line
};

struct Screenplay {
    std::filesystem::path file;
    std::vector<ScriptScene> scenes;
};

/// Reads screenplays; sources/ provides the real one (Fountain, Final Draft).
class ScriptReader {
  public:
    virtual ~ScriptReader() = default;
    /// The script's scenes; nullopt after adding a diagnostic naming the file when it
    /// cannot be read or parsed.
    virtual std::optional<Screenplay> read(const std::filesystem::path& file,
                                           Diagnostics& diagnostics) const = 0;
};

}  // namespace storyreel
