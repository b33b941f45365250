#pragma once
// File names that say where a board belongs: "sq010_sh020_p003_v002.png" read with a
// pattern such as "{sequence}_{shot}_{panel}[_v{version}]".

#include <optional>
#include <regex>
#include <string>

namespace storyreel::sources {

inline constexpr const char* kDefaultFileNamePattern = "{sequence}_{shot}_{panel}[_v{version}]";

struct ParsedFileName {
    std::string sequence, shot, panel;
    int version = 0;  ///< 0 when the name has none

    /// "sq010/sh020/p003"
    std::string panel_path() const { return sequence + "/" + shot + "/" + panel; }
};

/// A pattern of literal text and fields: {sequence}, {shot}, {panel} (each exactly once:
/// letters, digits and '-'), {version} (digits, at most once), and [...] around an
/// optional part. It is matched against the whole file name without its extension.
class FileNamePattern {
  public:
    /// nullopt with `error` set when the pattern is malformed.
    static std::optional<FileNamePattern> parse(const std::string& text, std::string& error);

    std::optional<ParsedFileName> match(const std::string& stem) const;
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    std::regex regex_;
    int sequence_group_ = 0, shot_group_ = 0, panel_group_ = 0, version_group_ = 0;
};

}  // namespace storyreel::sources
