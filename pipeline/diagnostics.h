#pragma once
// Problems found in a project or pipeline, reported all at once and with their place.
//
// Validation never stops at the first problem: every check adds to a Diagnostics list,
// and the caller decides whether to go on. Each diagnostic says what is wrong, where
// (file:line:column, 1-based, 0 when unknown), what it concerns (a panel, a stage) and
// what to do about it.

#include <stdexcept>
#include <string>
#include <vector>

namespace storyreel {

/// A place in an input file. line/column are 1-based; 0 means "not known".
struct SourceLocation {
    std::string file;
    int line = 0;
    int column = 0;

    /// "file:line:column", "file:line" or "file", depending on what is known.
    std::string to_string() const;
};

/// One problem: what, where, about which object, and how to fix it.
struct Diagnostic {
    SourceLocation where;
    std::string subject;  ///< e.g. "panel sq010/sh020/p003" or "stage 'prores'"; may be empty
    std::string message;
    std::string hint;  ///< what the user should do; may be empty

    /// "file:3:7: panel sq010/sh020/p003: board not found (fix the path ...)".
    std::string to_string() const;
};

/// An ordered list of problems. Validation functions append; nothing throws.
class Diagnostics {
  public:
    void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
    void add(SourceLocation where, std::string subject, std::string message, std::string hint = {});
    void append(const Diagnostics& other);

    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    const std::vector<Diagnostic>& items() const { return items_; }

    /// Every diagnostic, one per line.
    std::string to_string() const;

  private:
    std::vector<Diagnostic> items_;
};

/// Thrown when a configuration is invalid; carries every problem found.
class ValidationError : public std::runtime_error {
  public:
    explicit ValidationError(Diagnostics diagnostics);
    const Diagnostics& diagnostics() const { return diagnostics_; }

  private:
    Diagnostics diagnostics_;
};

/// Thrown when work fails on a known bad input or environment (corrupt board,
/// unwritable output, codec refused). The message already names the file/panel and
/// what to do.
class BuildError : public std::runtime_error {
  public:
    explicit BuildError(Diagnostic diagnostic);
    const Diagnostic& diagnostic() const { return diagnostic_; }

  private:
    Diagnostic diagnostic_;
};

}  // namespace storyreel
