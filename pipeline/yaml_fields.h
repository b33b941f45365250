#pragma once
// Reading YAML mappings strictly: every key known, every value typed, every problem
// reported with file:line:column and collected rather than thrown.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include "pipeline/diagnostics.h"
#include "pipeline/input_limits.h"

namespace storyreel {

/// Position of a node in its file (yaml-cpp marks are 0-based; ours are 1-based).
SourceLocation location_of(const YAML::Node& node, const std::string& file);

/// Parses a YAML file; a syntax error becomes a diagnostic with its line and column. The
/// document is not yet checked against any limit: see yaml_within_limits().
std::optional<YAML::Node> parse_yaml_file(const std::string& path, Diagnostics& diagnostics);

/// parse_yaml_file(), then the document checked against the default InputLimits (size
/// after alias expansion, nesting depth): nullopt, reported, when it is over them.
std::optional<YAML::Node> load_yaml_file(const std::string& path, Diagnostics& diagnostics);

/// A scalar node's finite number within [min, max] (checked_number.h); nullopt for
/// anything else (a list, text, NaN, out of range). For list items such as [x, y].
std::optional<double> scalar_number(const YAML::Node& node, double min, double max);

/// A strict view of one YAML mapping. Reports unknown keys (with the list of known
/// ones) and wrongly typed values into the Diagnostics it was given.
class YamlFields {
  public:
    YamlFields(const YAML::Node& node, std::string file, std::string subject,
               Diagnostics& diagnostics);

    /// True when the node is a mapping; otherwise a diagnostic was added.
    bool is_map() const { return is_map_; }
    /// Declares the allowed keys and reports any other key found.
    void allow_only(std::initializer_list<const char*> keys);

    bool has(const char* key) const;
    YAML::Node node(const char* key) const;
    SourceLocation where(const char* key) const;
    SourceLocation where() const { return location_of(node_, file_); }

    std::optional<std::string> string(const char* key, bool required = false);
    /// A whole number (pipeline/checked_number.h: decimal digits only) within [min, max];
    /// anything else is reported with the range and read as nullopt.
    std::optional<long long> integer(const char* key, long long min, long long max,
                                     bool required = false);
    /// integer() over the whole 64-bit range, for keys whose caller checks the range.
    std::optional<long long> integer(const char* key, bool required = false);
    /// A finite number within [min, max] (NaN and infinities refused).
    std::optional<double> number(const char* key, double min, double max, bool required = false);
    /// number() over every finite value, for keys whose caller checks the range.
    std::optional<double> number(const char* key, bool required = false);
    std::optional<bool> boolean(const char* key, bool required = false);

    /// Adds a diagnostic about `key` (at its position).
    void problem(const char* key, const std::string& message, const std::string& hint = {});

    const std::string& file() const { return file_; }
    const std::string& subject() const { return subject_; }
    Diagnostics& diagnostics() { return diagnostics_; }

  private:
    bool require(const char* key, bool required);

    YAML::Node node_;
    std::string file_;
    std::string subject_;
    Diagnostics& diagnostics_;
    bool is_map_ = false;
};

}  // namespace storyreel
