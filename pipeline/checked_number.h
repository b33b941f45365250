#pragma once
// Numbers read from inputs (YAML, JSON, EDL, file names, timecodes) go through these
// functions: text -> number, only when it is a number and within the range the field
// allows. Nothing here throws std::out_of_range or std::invalid_argument, wraps around,
// or reads past the text; a refused number names its file, line and field.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/diagnostics.h"

namespace storyreel {

/// Where a number was read from: the file and line, what it belongs to (a panel, an EDL
/// event; may be empty) and the field's name ("frames", "dissolve length").
struct NumberPlace {
    SourceLocation where;
    std::string subject;
    std::string field;
};

/// Thrown by checked_integer() and checked_real(): a BuildError whose diagnostic names
/// the place, the text found and the range allowed. Validators that collect problems
/// catch it and add diagnostic() to their list.
class NumberError : public BuildError {
  public:
    using BuildError::BuildError;
};

/// A whole decimal number ("42", "-7", "+3", leading zeros allowed) within [min, max];
/// nullopt for anything else (empty, other characters, too many digits, out of range).
std::optional<std::int64_t> parse_integer(std::string_view text, std::int64_t min,
                                          std::int64_t max);

/// A finite decimal number ("2.5", "-1e3", "+.5") within [min, max]; nullopt for anything
/// else, NaN and infinities included.
std::optional<double> parse_real(std::string_view text, double min, double max);

/// parse_integer(), throwing NumberError naming `place` when the text is refused.
std::int64_t checked_integer(std::string_view text, std::int64_t min, std::int64_t max,
                             const NumberPlace& place);

/// parse_real(), throwing NumberError naming `place` when the text is refused.
double checked_real(std::string_view text, double min, double max, const NumberPlace& place);

/// A finite number already decoded (JSON numbers, YAML floats) checked like checked_real().
double checked_real(double value, double min, double max, const NumberPlace& place);

/// The diagnostic checked_integer()/checked_real() throw, for readers that report instead.
Diagnostic number_problem(std::string_view text, const std::string& range,
                          const NumberPlace& place);

/// "[min, max]" printed for messages ("from 1 to 2592000").
std::string range_text(std::int64_t min, std::int64_t max);
std::string range_text(double min, double max);

}  // namespace storyreel
