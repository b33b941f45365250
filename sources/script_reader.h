#pragma once
// Screenplays for the production checks: Fountain (.fountain, .spmd, .txt) and Final
// Draft (.fdx) read into pipeline/screenplay.h's model.

#include <string_view>

#include "pipeline/screenplay.h"

namespace storyreel::sources {

/// Parses Fountain text (https://fountain.io/syntax): title page, scene headings (INT,
/// EXT, EST, INT./EXT., I/E, forced `.`; `#id#` markers), character cues (all caps before
/// dialogue, forced `@`, extensions and `^`), parentheticals, dialogue, transitions
/// (`... TO:`, forced `>`), action (forced `!`); notes `[[...]]` and boneyard `/*...*/`
/// are dropped, sections `#` and synopses `=` ignored. Text before the first heading
/// belongs to no scene.
Screenplay parse_fountain(std::string_view text);

/// Reads .fountain (and plain text) and .fdx scripts. Empty files, files that are not
/// text (NUL bytes, invalid UTF-8), XML that does not parse and scripts without a single
/// scene heading are errors naming the file.
class FileScriptReader : public ScriptReader {
  public:
    std::optional<Screenplay> read(const std::filesystem::path& file,
                                   Diagnostics& diagnostics) const override;
};

/// The reader the command line uses.
const ScriptReader& script_reader();

}  // namespace storyreel::sources
